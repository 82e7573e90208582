"""What every business record shares, whichever family it belongs to: who entered it, when, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RecordedModel(models.Model):
    """A record someone entered: who (登记人), when (登记时间), when it last changed (更新时间), and its audit history.

    `recorded_by` is the login that entered the record (the office, or a leader entering their own), kept when that
    login is deleted as an empty value; services set it, the admin sets it on an office entry.

    History: `HistoricalRecords(inherit=True)` gives every concrete subclass its own history model
    (`Historical<Model>`, in the subclass's app, with the same fields as before this base existed). A subclass
    whose many-to-many fields belong in the history lists them by name in the class attribute
    `_history_m2m_fields` (django-simple-history reads it for inherited models; `m2m_fields=` cannot be passed per
    subclass, because declaring a second `history = HistoricalRecords(...)` on a subclass registers it twice and
    raises `MultipleRegistrationsError`). For the same reason a subclass cannot opt out of history or give its
    history other options (excluded fields, another table): a model that needs that is not a RecordedModel.

    Remember that a history row copies every field: if a record is confidential, so is its history (permissions
    for the history pages must be those of the record).
    """

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class PrivateAttachment(models.Model):
    """A file attached to a family's record (meeting papers, a progress report's files, an activity's photos, a
    disclosure item's documents): its name as shown, who uploaded it and when.

    A concrete subclass adds the record it belongs to (a ForeignKey with `related_name="attachments"`), its `file`
    (`storage=governance.storage.private_storage, upload_to=PrivateUploadTo("<family>/<what>")`), its Meta and, if
    it keeps one, its history; and names its permission-checked download view in `download_url_name`. Files are
    served only through that view, with `governance.storage.attachment_response`."""

    download_url_name: str = ""  # "<family>:attachment_download"

    name = models.CharField(_("附件名称"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(self.download_url_name, args=[self.pk])

    @property
    def download_name(self) -> str:
        """The name a download offers: the attachment's name with the stored file's extension (a name typed as
        “会议纪要” downloads as “会议纪要.pdf”), else the stored file's own name."""
        stored = self.file.name.rsplit("/", 1)[-1]  # type: ignore[attr-defined]
        if not self.name:
            return stored or "attachment"
        suffix = "." + stored.rsplit(".", 1)[-1] if "." in stored else ""
        return self.name if self.name.endswith(suffix) else self.name + suffix
