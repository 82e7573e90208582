"""Indexes (person, talk) and (person, meeting) on the participants' and attendees' tables.

The obligation engine reads "the talks (meetings) these people took part in" (communication.evidence): with only the
person index, each of those rows costs a lookup in the table for its talk id; with (person_id, talk_id) the index
alone answers (a covering index). The many-to-many tables are Django's own, so the indexes are created in SQL,
valid on SQLite and PostgreSQL alike."""

from django.db import migrations

INDEXES = [
    ("comm_talk_part_person_talk", "communication_talk_participants", "person_id, talk_id"),
    ("comm_meet_att_person_meeting", "communication_meeting_attendees", "person_id, meeting_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("communication", "0004_record_bounds"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f'CREATE INDEX "{name}" ON "{table}" ({columns})',
            reverse_sql=f'DROP INDEX "{name}"',
        )
        for name, table, columns in INDEXES
    ]
