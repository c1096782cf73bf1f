"""The loop's events point at sessions and learning questions where they now live (the
practice app); the tables, and so the columns' constraints, stay as they were."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0011_adjustment_decisions"),
        ("practice", "0001_moved_from_communities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="loopevent",
                    name="learning_question",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="practice.learningquestion",
                    ),
                ),
                migrations.AlterField(
                    model_name="loopevent",
                    name="session",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="practice.session",
                    ),
                ),
            ]
        ),
    ]
