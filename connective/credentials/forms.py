"""The verify form: paste a credential or upload its file."""

from __future__ import annotations

from django import forms

from connective.credentials.services.verification import MAX_BYTES


class VerifyForm(forms.Form):
    """A credential to check, pasted or uploaded (JSON, JWT or baked PNG)."""

    credential = forms.CharField(
        required=False,
        label="Paste the credential",
        help_text="The contents of the JSON or .jwt file.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "mono"}),
    )
    file = forms.FileField(
        required=False,
        label="Or upload the file",
        help_text="A statement's .json or .jwt download, or a baked badge image (.png).",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")  # no trailing colon, like every other form of ours
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            data["data"] = upload.read(MAX_BYTES + 1)  # type: ignore[attr-defined]
        elif data.get("credential"):
            data["data"] = str(data["credential"])
        else:
            raise forms.ValidationError("Paste a credential or choose a file.")
        return data
