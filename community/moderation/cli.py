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
    from . import decide, pipeline

    locale = "en"
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
        # No rules are read: the global ones hold or censor, which changes no label or notice
        # kind here, and reading them would need an initialised database.
        outcome = decide.decide(pipeline.judge_text(str(item.get("text") or ""), None))
        notices = [pipeline.notice(kind, outcome, locale) for kind in outcome.notices
                   if kind in ("consult_reminder", "crisis_resources")]
        click.echo(json.dumps({"id": item["id"], "labels": list(outcome.labels), "notices": notices},
                              ensure_ascii=False))
