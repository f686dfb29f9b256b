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

    locale = "en"   # an empty text
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
        decision = pipeline.judge_text(str(item.get("text") or ""), None)
        outcome = decide.decide(decision)
        notices = [pipeline.notice(kind, outcome, decision.language if decision else locale) for kind in outcome.notices
                   if kind in ("consult_reminder", "crisis_resources")]
        # "scores": the classifier's probability per label (phi has no head: the rules find spans)
        scores = {label: (decision.scores or {}).get(label, 0.0) if decision else 0.0
                  for label in ("consult_reminder", "crisis", "spam", "abuse")}
        click.echo(json.dumps({"id": item["id"], "labels": list(outcome.labels), "notices": notices,
                               "scores": scores}, ensure_ascii=False))


@moderation_cli.command("train")
def train_command():
    """Rebuild the classifier in community/moderation/model/ from community/moderation/data/."""
    from . import classifier

    meta = classifier.train()
    click.echo(f"{meta['rows']} posts, {meta['features']} features; data sha256 {meta['data_sha256']}; "
               f"artifact sha256 {meta['artifact_sha256']}")


@moderation_cli.command("misses")
@click.option("--mark-exported", is_flag=True, help="Mark them exported, so the next run lists only newer ones.")
def misses_command(mark_exported):
    """Print the misses moderators reported and nobody exported yet, as training rows (JSON lines).
    Check each against MODERATION.md, add a crisis tier and the language, then append them to
    community/moderation/data/regressions.jsonl and run `community moderation train`."""
    from . import misses

    for row in misses.export(mark=mark_exported):
        click.echo(json.dumps(row, ensure_ascii=False))
