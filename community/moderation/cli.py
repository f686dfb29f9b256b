"""`community moderation classify FILE.jsonl` (DESIGN.md "Contracts")."""
import json

import click
from flask.cli import AppGroup

moderation_cli = AppGroup("moderation", help="Moderation tools.")


@moderation_cli.command("classify")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def classify_command(file):
    """Label each {"id", "text"} line of FILE (or - for stdin) as a post by an established
    member under the global rules; write {"id", "labels", "notices"} lines to stdout."""
    from .filters import CONSULT_NOTICE, CRISIS_RESOURCES, run_filters

    for lineno, line in enumerate(file, 1):
        line = line.strip()
        if not line:
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"line {lineno}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "id" not in item:
            raise click.ClickException(f"line {lineno}: expected an object with an \"id\"")
        decision = run_filters(str(item.get("text") or ""))
        notices = []
        if "consult_reminder" in decision.labels:
            notices.append({"kind": "consult_reminder", "text": CONSULT_NOTICE})
        if "crisis" in decision.labels:
            notices.append({"kind": "crisis_resources", "text": CRISIS_RESOURCES})
        click.echo(json.dumps({"id": item["id"], "labels": list(decision.labels), "notices": notices},
                              ensure_ascii=False))
