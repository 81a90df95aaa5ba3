"""Sub-commands of ``xlae``: each module defines ``register(subparsers)``.

``register`` adds its parser and sets ``run`` (a function ``args -> exit code``)
with ``parser.set_defaults(run=...)``.
"""
