import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_reminders"),
    ]

    operations = [
        migrations.AlterField(
            model_name="obligationrule",
            name="evidence_source",
            field=models.CharField(
                help_text="业务模块注册的记录来源，写作“模块.记录”，如会议、谈心谈话", max_length=60, verbose_name="计入的记录"
            ),
        ),
        migrations.AlterField(
            model_name="obligationrule",
            name="event_source",
            field=models.CharField(
                blank=True,
                help_text="周期为“活动召开前”时，业务模块注册的活动来源（如民主生活会所在的会议）",
                max_length=60,
                verbose_name="活动来源",
            ),
        ),
        migrations.AlterField(
            model_name="historicalobligationrule",
            name="evidence_source",
            field=models.CharField(
                help_text="业务模块注册的记录来源，写作“模块.记录”，如会议、谈心谈话", max_length=60, verbose_name="计入的记录"
            ),
        ),
        migrations.AlterField(
            model_name="historicalobligationrule",
            name="event_source",
            field=models.CharField(
                blank=True,
                help_text="周期为“活动召开前”时，业务模块注册的活动来源（如民主生活会所在的会议）",
                max_length=60,
                verbose_name="活动来源",
            ),
        ),
        migrations.CreateModel(
            name="ReminderSectionSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("family", models.CharField(max_length=40, verbose_name="业务模块")),
                ("key", models.TextField(verbose_name="提醒内容标识")),
                ("key_hash", models.CharField(max_length=40, verbose_name="标识摘要")),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                (
                    "digest",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sections",
                        to="governance.reminderdigest",
                        verbose_name="提醒邮件",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="governance.person",
                        verbose_name="收件人",
                    ),
                ),
            ],
            options={
                "verbose_name": "已发送的模块提醒",
                "verbose_name_plural": "已发送的模块提醒",
                "ordering": ["-created"],
                "constraints": [
                    models.UniqueConstraint(fields=("person", "family", "key_hash"), name="reminder_section_once")
                ],
            },
        ),
    ]
