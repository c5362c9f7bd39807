"""Command-line interface: ``flask --app wsgi <group> <command>``.

``db`` comes from Flask-Migrate. The groups are defined here and stay thin: each command calls
a service (the rules) and prints its answer; every command is one unit of work, committed when
it returns and rolled back when it fails (:func:`app.unit_of_work.wrap_commands`).
"""
from __future__ import annotations

import os
import secrets

import sys

import click
from flask import Flask, current_app

from . import unit_of_work
from .models.user import ROLES


def register_cli(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(reference_cli)
    app.cli.add_command(regions_cli)
    app.cli.add_command(attachments_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(apikeys_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(followers_cli)
    app.cli.add_command(lifecycle_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    # Every command is one unit of work: committed when it returns, rolled back when it fails.
    unit_of_work.wrap_commands(app.cli)


@click.group(help="Officer accounts.")
def users():
    pass


@users.command("create", help="Create an officer account.")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--agency", "agency_slug", help="Agency slug (agency_admin and officer).")
@click.option("--password", help="Password; a random one is generated and printed if absent.")
def create_user(email, name, role, agency_slug, password):
    from .services import accounts
    from .services.errors import DomainError

    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        user = accounts.create_user(email=email, name=name, role=role,
                                    agency_slug=agency_slug, password=password)
    except DomainError as exc:
        raise click.UsageError(str(exc.message)) from exc
    click.echo(f"Created {user.role} {user.email}" + (f" ({user.agency.slug})" if user.agency else ""))
    if generated:
        click.echo(f"Password: {password}")


@users.command("reset-second-factor",
               help="Remove an account's second factor (lost phone and recovery codes), e.g. the "
                    "only national admin's; its sessions end and it enrols again at next sign-in.")
@click.argument("email")
def reset_second_factor(email):
    from . import clock
    from .services import second_factor

    user = second_factor.reset_by_operator(email, clock.now())
    if user is None:
        raise click.UsageError(f"No account with e-mail {email}.")
    click.echo(f"Second factor of {user.email} removed; its sessions ended.")


@click.group(help="Demo data: demo officer accounts and reports, on top of the reference data.")
def demo():
    pass


@demo.command("seed", help="Load the reference data, demo officers and demo reports.")
@click.option("--complaints", default=3000, show_default=True, help="How many demo reports.")
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
@click.option("--if-empty", is_flag=True, help="Do nothing when reports already exist.")
@click.option("--i-know-this-is-production", "in_production", is_flag=True,
              help="Seed a production database anyway (demo accounts get a random password, "
                   "shown once).")
@click.option("--processes", default=min(2, os.cpu_count() or 1), show_default=True,
              help="Worker processes that replay the histories of a large demo (SQLite).")
def seed_demo(complaints, random_seed, if_empty, in_production, processes):
    import secrets

    from .demo import seeding

    production = current_app.config.get("ENVIRONMENT") == "production"
    if production and not in_production:
        click.echo("demo seed: refused in production (TERANG_CONFIG=production). The demo creates "
                   "a national admin and officer accounts and invented reports that would mix "
                   "with real ones. Load the real directory with `flask reference load` and "
                   "create the first admin with `flask users create`; to seed a production-"
                   "configured test server anyway, add --i-know-this-is-production.", err=True)
        raise SystemExit(1)
    if if_empty and seeding.has_reports():
        click.echo("Demo data already loaded; nothing to do.")
        return
    # In production the published demo password would open a national admin account: the demo
    # accounts get a random one, shown this once.
    password = secrets.token_urlsafe(18) if production else current_app.config["DEMO_PASSWORD"]
    # A large demo commits batch by batch, with SQLite's bulk-load settings (app/demo/bulk.py).
    with click.progressbar(length=complaints, label="Laporan", file=sys.stderr,
                           show_pos=True, show_eta=True) as bar:
        summary = seeding.seed(complaints=complaints, seed=random_seed, password=password,
                               echo=click.echo, progress=bar.update,
                               bulk_load=complaints >= seeding.BULK_FROM,
                               processes=processes)
    click.echo(summary)
    if production:
        click.echo(f"Demo account password (shown once, not stored in clear): {password}")


@demo.command("logins", help="Print the demo officer accounts.")
def demo_logins():
    from .demo import seeding

    production = current_app.config.get("ENVIRONMENT") == "production"
    password = ("(the random one shown once by demo seed)" if production
                else current_app.config["DEMO_PASSWORD"])
    click.echo(seeding.describe_logins(password))


@click.group("reference", help="Reference data: regions, categories and the agency tree.")
def reference_cli():
    pass


@reference_cli.command("load", help="Load regions, categories and agencies from CSV files "
                                    "(idempotent; deletes nothing; creates no accounts).")
@click.option("--agencies", "agencies_file", type=click.Path(dir_okay=False),
              help="Agency directory CSV (default: app/reference_data/agencies.csv).")
@click.option("--categories", "categories_file", type=click.Path(dir_okay=False),
              help="Category CSV (default: app/reference_data/categories.csv).")
@click.option("--check", is_flag=True, help="Only validate the files; write nothing.")
def reference_load(agencies_file, categories_file, check):
    from .services import reference

    directory = reference.read(agencies_file, categories_file)
    click.echo(f"{directory.agencies_file}: {len(directory.agencies)} agencies; "
               f"{directory.categories_file}: {len(directory.categories)} categories.")
    if directory.problems:
        for problem in directory.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{len(directory.problems)} problems found; nothing was "
                                   f"loaded. Correct the file(s) and run the command again.")
    click.echo("No problems found.")
    if check:
        return

    def progress(rows):
        with click.progressbar(rows, label=f"Loading {len(rows)} agencies",
                               show_pos=True) as bar:
            yield from bar

    summary = reference.load(directory, progress=progress)
    click.echo(str(summary))  # committed by the command's unit of work


@click.group("regions", help="Regions (Kemendagri codes).")
def regions_cli():
    pass


@regions_cli.command("load", help="Load the 38 provinces and 514 kab/kota (idempotent); "
                                  "`reference load` does this too.")
def regions_load():
    from .services import regions

    added = regions.load_regions()
    click.echo(f"{added} regions added.")


@click.group("attachments", help="Attachment housekeeping.")
def attachments_cli():
    pass


@attachments_cli.command("purge-staged", help="Delete uploads staged more than a day ago, and "
                         "stored files that no upload names (left by requests that failed).")
def purge_staged():
    from . import clock
    from .services import attachments

    now = clock.now()
    removed = attachments.purge_staged(current_app.config["UPLOAD_FOLDER"], now)
    orphans = attachments.purge_orphan_files(current_app.config["UPLOAD_FOLDER"], now)
    click.echo(f"{removed} staged uploads removed, {orphans} files without an upload removed.")


@attachments_cli.command("clean-stored",
                         help="Rebuild the PDFs stored by an earlier version with today's rules.")
def clean_stored():
    from .services import attachments

    from .extensions import db

    rewritten, failed = attachments.clean_stored_pdfs(current_app.config["UPLOAD_FOLDER"])
    click.echo(f"{rewritten} stored PDFs rebuilt.")
    if failed:
        click.echo(f"{len(failed)} could not be cleaned and were left as they are: "
                   + ", ".join(failed), err=True)
        # The files already rewritten keep their new size and hash although the command exits
        # non-zero (the unit of work rolls back on an exit).
        db.session.commit()
        raise SystemExit(1)


@click.group("stats", help="Transparency statistics (rollups and snapshots).")
def stats_cli():
    pass


@stats_cli.command("new-epoch", help="Make every cached board page and ETag stale at once "
                   "(after restoring a backup: docs/performance.md, Caching).")
def stats_new_epoch():
    from .services import data_version

    click.echo(f"Data version now {data_version.renew_epoch()}.")


@stats_cli.command("refresh", help="Rebuild the rollups of changed agency-months (cron: every few minutes).")
@click.option("--all-open", is_flag=True, help="Also every month with open reports (cron: daily).")
@click.option("--everything", is_flag=True, help="Rebuild every agency-month from scratch.")
@click.option("--processes", type=int, default=None,
              help="With --everything: worker processes that read and add up the reports "
                   "[default: 2 on SQLite (at most the CPUs), 1 on PostgreSQL].")
def stats_refresh(all_open, everything, processes):
    from . import clock
    from .services import service_status, statistics

    now = clock.now()
    if everything:
        # One pass over every report (statistics.rebuild_everything), not one per agency-month.
        from sqlalchemy import func, select

        from .extensions import db
        from .models import Report

        total = db.session.scalar(select(func.count()).select_from(Report)) or 0
        if processes is None:
            sqlite = db.session.get_bind().dialect.name == "sqlite"
            processes = min(2, os.cpu_count() or 1) if sqlite else 1
        with click.progressbar(length=total, label=f"Rebuilding from {total} reports",
                               show_pos=True, show_eta=True) as bar:
            rebuilt = statistics.rebuild_everything(now, progress=bar.update,
                                                    processes=max(1, processes))
        service_status.record_run(service_status.STATS_REFRESH, now)
        click.echo(f"{rebuilt} agency-months rebuilt.")
        return
    if all_open:
        statistics.mark_open_dirty()

    def progress(pairs):
        with click.progressbar(pairs, label=f"Rebuilding {len(pairs)} agency-months",
                               show_pos=True) as bar:
            yield from bar

    rebuilt = statistics.refresh_dirty(now, progress=progress)
    service_status.record_run(service_status.STATS_REFRESH, now)
    click.echo(f"{rebuilt} agency-months rebuilt.")


@stats_cli.command("publish", help="Freeze a month's figures into a citable snapshot.")
@click.option("--period", help="YYYY-MM; default: the previous month.")
@click.option("--if-due", is_flag=True,
              help="Only if the previous month has no snapshot yet, as the tick does (make run).")
def stats_publish(period, if_due):
    from . import clock
    from .services import sla, snapshots
    from .services.errors import DomainError

    now = clock.now()
    period = period or snapshots.previous_period(sla.local_date(now))
    if if_due and snapshots.published_for(period):
        click.echo(f"The snapshot of {period} is already published.")
        return

    def progress(pairs):
        with click.progressbar(pairs, label=f"Refreshing {len(pairs)} agency-months") as bar:
            yield from bar

    try:
        snapshot = snapshots.publish(period, now, progress=progress)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Published snapshot {snapshot.public_id}")
    click.echo(f"SHA-256 {snapshot.sha256}")


def _log_to_stderr() -> None:
    """Show INFO lines (e.g. the development log transport) when nothing else set logging up."""
    import logging

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@click.group("followers", help="People who follow a public report by e-mail.")
def followers_cli():
    pass


@followers_cli.command("forget", help="Erase an e-mail address as a follower of every report "
                                      "(a privacy request): rows deleted, its e-mails blanked.")
# Asked for when not given, so the address stays out of the shell's history.
@click.option("--email", prompt="E-mail address to erase", help="The address to erase (asked for "
              "when left out, which keeps it out of the shell's history).")
def followers_forget(email):
    from . import clock
    from .services import following

    removed = following.forget(email, clock.now(), secret_key=current_app.config["SECRET_KEY"])
    # The address is not echoed back: terminals and their logs keep what is printed.
    click.echo(f"Erased: the address followed or asked to follow {removed} report(s).")


@click.group("outbox", help="Outgoing e-mail: notifications and reminders.")
def outbox_cli():
    pass


@outbox_cli.command("deliver", help="Send the e-mail that is due, with retries and backoff "
                                    "(cron: every minute). Without MAIL_SERVER, logs instead.")
@click.option("--batch", default=100, show_default=True, help="At most this many messages per run.")
def outbox_deliver(batch):
    from . import clock
    from .services import notifications, service_status

    _log_to_stderr()
    now = clock.now()
    due = min(notifications.count_due(now), batch)
    if due >= 20:
        with click.progressbar(length=due, label=f"Sending {due} messages", show_pos=True) as bar:
            stats = notifications.deliver_due(now, batch, on_message=lambda _outcome: bar.update(1))
    else:
        stats = notifications.deliver_due(now, batch)
    service_status.record_run(service_status.OUTBOX_DELIVER, now)
    click.echo(str(stats))


@click.group("lifecycle", help="Scheduled work on reports.")
def lifecycle_cli():
    pass


@lifecycle_cli.command("tick", help="Auto-close silent resolved reports, record missed deadlines, "
                                    "queue reminders (cron: every minute; idempotent).")
def lifecycle_tick():
    from . import clock
    from .services import lifecycle, service_status

    _log_to_stderr()
    started = clock.now()
    summary = lifecycle.tick(started)
    service_status.record_run(service_status.LIFECYCLE_TICK, started)
    click.echo(str(summary))


@click.group("tokens", help="Bearer tokens for agency systems (API).")
def tokens_cli():
    pass


@tokens_cli.command("create", help="Make a token acting as this officer; printed once.")
@click.option("--email", required=True, help="The officer whose role and agency the token has.")
@click.option("--name", help="What the token is for (e.g. the agency's own system).")
@click.option("--days", type=int, help="Days it works (default TOKEN_LIFETIME_DAYS, 90).")
def tokens_create(email, name, days):
    from . import clock
    from .services import credentials
    from .services.errors import DomainError

    try:
        token, secret = credentials.create_token(email, name, clock.now(), days)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Token for {token.user.email} ({token.user.role}), valid until "
               f"{token.expires_at.isoformat(timespec='minutes')}; it is shown only once:")
    click.echo(secret)


@tokens_cli.command("revoke", help="Revoke one token: its whole prefix as `tokens list` shows it "
                                   "(12 characters), or the whole secret.")
@click.argument("prefix")
def tokens_revoke(prefix):
    from .models import ApiToken
    from . import clock
    from .services import credentials

    from .services.errors import DomainError

    try:
        credentials.revoke(ApiToken, prefix, clock.now())
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Token {prefix[:credentials.PREFIX_LENGTH]} revoked.")


@tokens_cli.command("list", help="List tokens (prefix, officer, last use, revoked).")
def tokens_list():
    from .models import ApiToken
    from .services import credentials

    for token in credentials.listing(ApiToken):
        click.echo(f"{token.prefix}  {token.user.email:40} last used {token.last_used_at or '-'}"
                   f"  expires {token.expires_at.isoformat(timespec='minutes')}"
                   f"{'  REVOKED' if token.revoked_at else ''}")


@click.group("apikeys", help="Open311 keys for intake partners.")
def apikeys_cli():
    pass


@apikeys_cli.command("create", help="Make a partner key; printed once.")
@click.option("--name", required=True, help="The partner (e.g. 'SMS gateway Kominfo').")
def apikeys_create(name):
    from .services import credentials

    key, secret = credentials.create_api_key(name)
    click.echo(f"Key for {key.name}; it is shown only once:")
    click.echo(secret)


@apikeys_cli.command("revoke", help="Revoke one key: its whole prefix as `apikeys list` shows it "
                                    "(12 characters), or the whole secret.")
@click.argument("prefix")
def apikeys_revoke(prefix):
    from .models import ApiKey
    from . import clock
    from .services import credentials

    from .services.errors import DomainError

    try:
        credentials.revoke(ApiKey, prefix, clock.now())
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Key {prefix[:credentials.PREFIX_LENGTH]} revoked.")


@apikeys_cli.command("list", help="List partner keys.")
def apikeys_list():
    from .models import ApiKey
    from .services import credentials

    for key in credentials.listing(ApiKey):
        click.echo(f"{key.prefix}  {key.name:40} last used {key.last_used_at or '-'}"
                   f"{'  REVOKED' if key.revoked_at else ''}")


def _progress_bar(items, label):
    with click.progressbar(items, label=label, show_pos=True) as bar:
        yield from bar


@click.command("backup", help="Back up the database and the uploads to PATH: a new directory, or "
                              "a .tar/.tar.gz file. Safe while the server runs.")
@click.argument("path", type=click.Path(file_okay=True, dir_okay=True, writable=True))
def backup_command(path):
    from pathlib import Path

    from . import clock
    from .extensions import db
    from .services import backups

    try:
        manifest = backups.create(Path(path), database_url=db.engine.url,
                                  upload_folder=Path(current_app.config["UPLOAD_FOLDER"]),
                                  now=clock.now(), pg_dump=current_app.config["PG_DUMP"],
                                  echo=click.echo, progress=_progress_bar)
    except backups.BackupError as exc:
        raise click.ClickException(exc.message) from exc
    database = manifest["database"]
    click.echo(f"Backup written to {path}: {database['engine']} database at revision "
               f"{database['alembic_revision']} ({database['counts'].get('reports', 0)} reports), "
               f"{manifest['uploads']['count']} uploads. Restore it with: flask restore {path}")


@click.command("restore", help="Restore a backup made by `flask backup` into the configured "
                               "database and UPLOAD_FOLDER, migrate it to the current version and "
                               "check it. Stop the server first.")
@click.argument("path", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option("--force", is_flag=True,
              help="Replace a database or upload folder that already holds data.")
def restore_command(path, force):
    from pathlib import Path

    from flask_migrate import upgrade
    from sqlalchemy import func, inspect, select, text

    from .extensions import db
    from .services import backups, board

    # Our own connections to the target must be closed before it is replaced.
    db.session.remove()
    db.engine.dispose()
    try:
        restored = backups.restore(Path(path), database_url=db.engine.url,
                                   upload_folder=Path(current_app.config["UPLOAD_FOLDER"]),
                                   force=force, pg_restore=current_app.config["PG_RESTORE"],
                                   echo=click.echo, progress=_progress_bar)
    except backups.BackupError as exc:
        raise click.ClickException(exc.message) from exc
    db.engine.dispose()
    click.echo(f"Restored {restored.uploads} uploads. Migrating the database to the current "
               f"version…")
    upgrade()
    db.session.remove()
    # The restored database must open and answer.
    problems = []
    if restored.engine == "sqlite":
        checked = db.session.execute(text("PRAGMA integrity_check")).scalar()
        if checked != "ok":
            problems.append(f"integrity check: {checked}")
    tables = set(inspect(db.engine).get_table_names())
    for name, expected in restored.manifest["database"]["counts"].items():
        if name in tables:
            found = db.session.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
            if found != expected:
                problems.append(f"{name}: {found} rows, the backup recorded {expected}")
    public = db.session.scalar(select(func.count()).select_from(board.public_reports_query().subquery()))
    revision = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if problems:
        raise click.ClickException("The restored database does not match the backup: "
                                   + "; ".join(problems))
    # The restored data version went back: a new epoch makes every page the page cache and
    # browsers hold stale at once (as `flask stats new-epoch`).
    from .services import data_version

    data_version.renew_epoch()
    counts = restored.manifest["database"]["counts"]
    click.echo(f"Restore checked: revision {revision}, {counts.get('reports', 0)} reports "
               f"({public} on the public board), {counts.get('users', 0)} accounts, "
               f"{restored.uploads} uploads.")
