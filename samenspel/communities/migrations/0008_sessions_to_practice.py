"""Sessions and learning questions now live in the practice app (its migration 0001);
here they leave Django's view of this app. Their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0007_decline_reason"),
        ("learning", "0012_sessions_in_practice"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalLearningQuestion"),
                migrations.DeleteModel(name="HistoricalSession"),
                migrations.DeleteModel(name="LearningQuestion"),
                migrations.DeleteModel(name="Session"),
            ]
        ),
    ]
