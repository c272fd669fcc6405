"""An OPML import records when it last saved progress, so the sweep resumes only imports that
stopped, never one a worker is still running (two workers would import the same outlines)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feeds", "0004_feed_not_modified_count")]

    operations = [
        migrations.AddField(
            model_name="opmlimport",
            name="touched_at",
            field=models.DateTimeField(
                auto_now=True,
                default=django.utils.timezone.now,
                help_text="When it last saved progress: a running import is left alone.",
            ),
            preserve_default=False,
        ),
    ]
