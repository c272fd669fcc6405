"""Posts: compose, read, reply, edit, delete, mark useful, boost, download."""

from django.urls import path

from connective.content.views import boost, compose, post

app_name = "content"
urlpatterns = [
    path("posts/new/", compose.compose, name="compose"),
    path("posts/drafts/", post.drafts, name="drafts"),
    path("posts/<int:pk>/publish/", post.publish, name="publish"),
    path("posts/<int:pk>/", post.detail, name="post"),
    path("posts/<int:pk>/reply/", compose.reply, name="reply"),
    path("posts/<int:pk>/edit/", compose.edit, name="edit"),
    path("posts/<int:pk>/delete/", post.delete, name="delete"),
    path("posts/<int:pk>/useful/", post.useful, name="useful"),
    path("posts/<int:pk>/boost/", boost.boost, name="boost"),
    path("posts/<int:pk>/file/", post.download, name="download"),
]
