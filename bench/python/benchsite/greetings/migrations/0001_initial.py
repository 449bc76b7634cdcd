from django.db import migrations, models


def add_greeting(apps, schema_editor):
    apps.get_model("greetings", "Greeting").objects.create(pk=1, name="web")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Greeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
            ],
        ),
        migrations.RunPython(add_greeting),
    ]
