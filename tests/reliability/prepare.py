"""Set up the reliability server's own database: ``python -m tests.reliability.prepare N``.

Run in a separate process with the server's environment (``DATABASE_URL``, ``SECRET_KEY``,
``TERANG_CONFIG=production``): migrates the empty database (``flask db upgrade``), loads the
suite's reference data, makes two officers and two national admins of one agency with bearer
tokens, and files N reports for the officers' race, each in progress at that agency. Prints one
JSON object: the tokens and the races' references. The process runs at the real time, as the
server does (the suite's frozen clock is in the pytest process only).
"""
from __future__ import annotations

import json
import sys
from datetime import date

from flask_migrate import upgrade

from app import clock, create_app
from app.extensions import db
from app.models import Report
from app.services import credentials, workflow
from tests import factories

AGENCY = "dinkes-kota-padang"
EMAIL_DOMAIN = "keandalan.terang.test"
# Long before any day this can run: never "in the future" for the intake.
INCIDENT_DATE = date(2025, 6, 2)


def main(races: int) -> dict:
    app = create_app()
    with app.app_context():
        upgrade()
        factories.reference_data()
        now = clock.now()
        people = {}
        for name, role, agency in (("officer_a", "officer", AGENCY), ("officer_b", "officer", AGENCY),
                                   ("admin_a", "national_admin", None),
                                   ("admin_b", "national_admin", None)):
            user = factories.make_user(role, agency, email=f"{name}@{EMAIL_DOMAIN}")
            _token, secret = credentials.create_token(user.email, "uji keandalan", now)
            people[name] = {"id": user.id, "token": secret}
        in_progress, submitted = [], []
        for n in range(races):
            receipt = factories.file_report(now=now, incident_date=INCIDENT_DATE,
                                            title=f"Laporan balapan petugas nomor {n}")
            report = db.session.get(Report, receipt.report_id)
            if n % 2 == 0:  # even: in progress at AGENCY (officers resolve); odd: submitted (admins route)
                workflow.apply(report, "route", factories.actor("national_admin"), now,
                               workflow.ActionInput(agency=factories.agency(AGENCY),
                                                    resolution_class="sedang"))
                workflow.apply(report, "respond", factories.actor("officer", AGENCY), now,
                               workflow.ActionInput(text="Sedang kami periksa."))
                in_progress.append(report.reference)
            else:
                submitted.append(report.reference)
        db.session.commit()
        answer = {"people": people, "in_progress": in_progress, "submitted": submitted}
        db.session.remove()
        db.engine.dispose()
    return answer


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)))
