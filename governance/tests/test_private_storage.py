"""One home for private attachments (governance/storage.py): every family's attachments are stored by the same
storage, under PRIVATE_MEDIA_ROOT, with no public URL and a path nobody can guess from a record's id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import Http404

from governance.models import PrivateAttachment
from governance.storage import PrivateMediaStorage, PrivateUploadTo, attachment_response, private_storage


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _file_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
        and not model._meta.label.split(".")[1].startswith("Historical")
    ]


FAMILY_ATTACHMENTS = {
    "communication.MeetingAttachment",
    "supervision.ProgressAttachment",
    "outreach.ActivityAttachment",
    "disclosure.ItemAttachment",
}


def test_every_attachment_field_of_the_families_uses_the_one_private_storage():
    fields = _file_fields()
    labels = {model._meta.label for model, _field in fields}
    assert labels >= FAMILY_ATTACHMENTS
    for model, field in fields:
        if model._meta.app_label in ("communication", "supervision", "outreach", "disclosure"):
            assert field.storage is private_storage, model._meta.label
            assert isinstance(field.upload_to, PrivateUploadTo), model._meta.label


def test_every_familys_attachment_is_the_cores_private_attachment_with_its_own_download_page():
    for label in FAMILY_ATTACHMENTS:
        model = apps.get_model(label)
        assert issubclass(model, PrivateAttachment), label
        assert model.download_url_name == f"{model._meta.app_label}:attachment_download", label


@pytest.mark.parametrize(
    ("name", "stored", "offered"),
    [
        ("会议纪要", "communication/meetings/2026/ab12/纪要终稿.pdf", "会议纪要.pdf"),
        ("会议纪要.pdf", "communication/meetings/2026/ab12/纪要终稿.pdf", "会议纪要.pdf"),
        ("", "supervision/2026/ab12/进展报告.docx", "进展报告.docx"),
        ("照片", "outreach/2026/ab12/README", "照片"),
    ],
)
def test_a_download_offers_the_attachments_name_with_the_stored_files_extension(name, stored, offered):
    attachment = apps.get_model("disclosure.ItemAttachment")(name=name)
    attachment.file.name = stored
    assert attachment.download_name == offered


@pytest.mark.django_db
def test_a_download_whose_file_is_gone_is_not_found():
    attachment = apps.get_model("disclosure.ItemAttachment")(name="公示.pdf")
    attachment.file.name = "disclosure/2026/gone/公示.pdf"
    with pytest.raises(Http404):
        attachment_response(attachment)


def test_a_download_is_an_attachment_never_cached():
    attachment = apps.get_model("outreach.ActivityAttachment")(name="座谈照片")
    attachment.file = SimpleUploadedFile("photo.jpg", b"jpeg")
    attachment.file.name = private_storage.save(
        PrivateUploadTo("outreach")(None, "photo.jpg"), attachment.file
    )
    response = attachment_response(attachment)
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert "filename*=utf-8''%E5%BA%A7%E8%B0%88%E7%85%A7%E7%89%87.jpg" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"jpeg"


def test_a_stored_file_lives_under_the_private_root_with_no_url(settings, time_machine):
    time_machine.move_to("2026-11-20 10:00 +08:00")
    upload_to = PrivateUploadTo("supervision")
    name = private_storage.save(upload_to(None, "会议/材料.docx"), SimpleUploadedFile("x", b"content"))
    assert re.fullmatch(r"supervision/2026/[0-9a-f]{32}/材料\.docx", name)
    assert Path(settings.PRIVATE_MEDIA_ROOT) in Path(private_storage.path(name)).parents
    assert private_storage.url(name) is None


def test_two_files_of_the_same_name_never_share_a_path():
    upload_to = PrivateUploadTo("communication/meetings")
    assert upload_to(None, "议程.txt") != upload_to(None, "议程.txt")


def test_the_storage_follows_the_settings_at_use_time(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    assert PrivateMediaStorage().location == str(tmp_path / "elsewhere")


def test_migrations_can_name_the_upload_path_by_its_folder():
    path, args, kwargs = PrivateUploadTo("supervision").deconstruct()
    assert (path, args, kwargs) == ("governance.storage.PrivateUploadTo", ("supervision",), {})
    assert PrivateUploadTo("supervision") == PrivateUploadTo("/supervision/")
