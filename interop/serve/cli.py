"""``interop serve``: the JSON API and the clerk's page over HTTP.

The service's modules (starlette, uvicorn) are the ``[serve]`` extra; they are imported only
when the command runs, so that the rest of the CLI works without them.
"""

from __future__ import annotations

import click

from interop.cli_support import CliError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Worker processes per lane (validation; the rest) and server process [cores / workers].",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    help="name:token lines; every request then needs Authorization: Bearer TOKEN.",
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False),
    help="Keep every upload and output here [keep nothing].",
)
@click.option(
    "--audit-log",
    type=click.Path(dir_okay=False),
    help="Append-only audit log [~/.local/state/interop/audit.jsonl].",
)
@click.option(
    "--max-upload",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Largest accepted upload, in MB.",
)
@click.option(
    "--memory",
    type=click.Path(dir_okay=False),
    help="Translation memory (SQLite) [$INTEROP_TM or ~/.local/share/interop/memory.sqlite].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=600,
    show_default=True,
    help="Longest one request's work may take, in seconds (then 503).",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=256,
    show_default=True,
    help="Open connections per server process; past that, new requests get 503 at once.",
)
def serve(
    host: str,
    port: int,
    workers: int,
    jobs: int | None,
    token_file: str | None,
    workspace: str | None,
    audit_log: str | None,
    max_upload: int,
    memory: str | None,
    timeout: float,
    max_connections: int,
) -> None:
    """Serve the toolkit over HTTP: a JSON API (see /v1/openapi.json) on loopback.

    Without --token-file the service only listens on loopback addresses. Needs the [serve]
    extra: pip install 'interop[serve]'.
    """
    try:
        from interop.serve import server
        from interop.serve.settings import MB, ServeSettings, default_audit_log
    except ImportError as exc:
        raise CliError(f"the service needs the [serve] extra ({exc.name} is missing)") from None
    from interop.validate.batch import default_jobs

    settings = ServeSettings(
        audit_log=audit_log or str(default_audit_log()),
        token_file=token_file,
        workspace=workspace,
        max_upload=max_upload * MB,
        jobs=jobs or max(1, default_jobs() // workers),
        memory=memory,
        timeout=timeout,
    )
    server.run(settings, host, port, workers, max_connections)
