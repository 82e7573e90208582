"""Feedback.scope: the scope an opinion was given in (三: 先党内、后党外). Existing opinions get the scope their item had
when they were given, read from the item's audit history (the last version saved before the opinion); an opinion
left without an account was given on a 社会 item. Where no history says, the narrowest scope (党政领导干部): hiding an
opinion from people who could have seen it is the safe mistake, showing it wider is not."""

from django.db import migrations, models

SCOPE_CHOICES = [
    ("leaders", "党政领导干部"),
    ("members", "全体党员"),
    ("staff", "全体教职工"),
    ("public", "社会"),
]
HELP = "意见只向这一范围内的人员显示；事项之后扩大公开范围，意见的范围不随之扩大（三）"


def scope_when_given(apps, schema_editor):
    Feedback = apps.get_model("disclosure", "Feedback")
    HistoricalDisclosureItem = apps.get_model("disclosure", "HistoricalDisclosureItem")
    for feedback in Feedback.objects.all().only("pk", "item_id", "author_id", "created_at").iterator():
        if feedback.author_id is None:
            scope = "public"
        else:
            scope = (
                HistoricalDisclosureItem.objects.filter(id=feedback.item_id, history_date__lte=feedback.created_at)
                .order_by("-history_date", "-history_id")
                .values_list("scope", flat=True)
                .first()
            ) or "leaders"
        Feedback.objects.filter(pk=feedback.pk).update(scope=scope)


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0006_public_feedback"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="scope",
            field=models.CharField(
                choices=SCOPE_CHOICES, default="leaders", help_text=HELP, max_length=20, verbose_name="提出时的公开范围"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalfeedback",
            name="scope",
            field=models.CharField(
                choices=SCOPE_CHOICES, default="leaders", help_text=HELP, max_length=20, verbose_name="提出时的公开范围"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(scope_when_given, migrations.RunPython.noop),
    ]
