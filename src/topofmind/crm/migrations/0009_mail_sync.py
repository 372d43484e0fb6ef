
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _blank_repeated_message_ids(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Before the unique constraint: a Message-ID logged twice keeps it on its first touch only."""
    Interaction = apps.get_model("crm", "Interaction")
    seen = set()
    for pk, workspace_id, message_id in (
        Interaction.objects.exclude(message_id="").order_by("pk").values_list("pk", "workspace_id", "message_id")
    ):
        if (workspace_id, message_id) in seen:
            Interaction.objects.filter(pk=pk).update(message_id="")
        seen.add((workspace_id, message_id))


class Migration(migrations.Migration):

    dependencies = [
        ('crm', '0008_value_engine'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MailFolderState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('folder', models.CharField(max_length=500)),
                ('role', models.CharField(max_length=10)),
                ('uidvalidity', models.BigIntegerField()),
                ('last_uid', models.BigIntegerField(default=0)),
                ('last_sync_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='MailReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('unmatched', 'Unmatched'), ('ats', 'Ats')], max_length=10)),
                ('state', models.CharField(choices=[('open', 'Open'), ('accepted', 'Accepted'), ('dismissed', 'Dismissed')], default='open', max_length=10)),
                ('message_id', models.CharField(max_length=500)),
                ('in_reply_to', models.CharField(blank=True, default='', max_length=500)),
                ('received_at', models.DateTimeField()),
                ('sender_name', models.CharField(blank=True, default='', max_length=200)),
                ('sender_address', models.CharField(blank=True, default='', max_length=320)),
                ('subject', models.CharField(blank=True, default='', max_length=300)),
                ('summary', models.TextField(blank=True, default='')),
                ('ats_system', models.CharField(blank=True, default='', max_length=50)),
                ('ats_category', models.CharField(blank=True, default='', max_length=20)),
                ('proposed_stage', models.CharField(blank=True, choices=[('prospect', 'prospect'), ('applied', 'applied'), ('screening', 'screening'), ('interviewing', 'interviewing'), ('offer', 'offer'), ('accepted', 'accepted'), ('rejected', 'rejected'), ('withdrawn', 'withdrawn'), ('on_hold', 'on hold')], default='', max_length=20)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.CreateModel(
            name='MailSkipped',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('folder', models.CharField(max_length=500)),
                ('uidvalidity', models.BigIntegerField()),
                ('uid', models.BigIntegerField()),
                ('reason', models.TextField()),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name='interaction',
            name='in_reply_to',
            field=models.CharField(blank=True, default='', max_length=500),
        ),
        migrations.AddField(
            model_name='mailaccount',
            name='last_sync_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='mailaccount',
            name='last_sync_report',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='mailaccount',
            name='sync_started_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='mailaccount',
            name='sync_window_days',
            field=models.PositiveIntegerField(default=90),
        ),
        migrations.AddField(
            model_name='personemail',
            name='bad',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='personemail',
            name='bad_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='personemail',
            name='bad_reason',
            field=models.TextField(blank=True, default=''),
        ),
        migrations.RunPython(_blank_repeated_message_ids, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='interaction',
            constraint=models.UniqueConstraint(condition=models.Q(('message_id', ''), _negated=True), fields=('workspace', 'message_id'), name='interaction_message_id_once'),
        ),
        migrations.AddField(
            model_name='mailfolderstate',
            name='account',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='folders', to='crm.mailaccount'),
        ),
        migrations.AddField(
            model_name='mailreview',
            name='interaction',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='crm.interaction'),
        ),
        migrations.AddField(
            model_name='mailreview',
            name='opportunity',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mail_reviews', to='crm.opportunity'),
        ),
        migrations.AddField(
            model_name='mailreview',
            name='organization',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='mail_reviews', to='crm.organization'),
        ),
        migrations.AddField(
            model_name='mailreview',
            name='person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='crm.person'),
        ),
        migrations.AddField(
            model_name='mailreview',
            name='workspace',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='mail_reviews', to='crm.workspace'),
        ),
        migrations.AddField(
            model_name='mailskipped',
            name='account',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skipped', to='crm.mailaccount'),
        ),
        migrations.AddConstraint(
            model_name='mailfolderstate',
            constraint=models.UniqueConstraint(fields=('account', 'folder'), name='mail_folder_once'),
        ),
        migrations.AddIndex(
            model_name='mailreview',
            index=models.Index(fields=['workspace', 'state', 'received_at'], name='crm_mailrev_workspa_246bdf_idx'),
        ),
        migrations.AddConstraint(
            model_name='mailreview',
            constraint=models.UniqueConstraint(fields=('workspace', 'message_id'), name='mail_review_once'),
        ),
        migrations.AddConstraint(
            model_name='mailskipped',
            constraint=models.UniqueConstraint(fields=('account', 'folder', 'uidvalidity', 'uid'), name='mail_skipped_once'),
        ),
    ]
