"""The demo: demo officer accounts and a few thousand demo reports, for trying Terang out.

Not part of the rules (``app/services/``): the demo *uses* them. It loads the reference data
through :mod:`app.services.reference` (the same files a deployment loads), then adds its
accounts and reports, moving each report through its lifecycle with :func:`workflow.apply`.
Its catalogue (texts, names, weights, accounts) is data: ``app/demo/data/*.json``, read by
:mod:`app.demo.catalogue`; the generator is :mod:`app.demo.seeding`.

``flask --app wsgi demo seed`` and ``flask --app wsgi demo logins`` call it.
"""
