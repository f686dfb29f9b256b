"""Moderation filter speed: posts/s on one core for typical and 5,000-character posts.

    .venv/bin/python bench/moderation_speed.py [--seconds 3]

Corpus: the labelled posts of shared/data/moderation_dev.jsonl and tests/moderation/cases.jsonl,
padded or trimmed to 100-200 characters ("typical"), and the same posts joined into 5,000-character
posts. Prints the import and first-use (lexicon load) times, posts/s for each size, peak RSS and
the RSS growth from loading the filters; then the same for the whole judge (rules, classifier and
language detection, issue 13). Targets: rules alone >= 5,000 posts/s typical, >= 500 posts/s at
5,000 characters; the whole judge >= 2,000 and >= 300, and the classifier adds < 150 MB. No post
text is printed.

The 5,000-character posts are dense in keyword hits, so per-hit work dominates them (word-anchored
rule attempts, clause checks, phone parsing, drug-name lookups) more than scanning does; the
filters avoid `re` scans that try every character (see scan.py). A speed change must leave the
filters' output (labels, actions, spans, reasons) identical.
"""
import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((d for d in (ROOT.parent / "shared", Path("/work/shared")) if d.exists()), ROOT.parent / "shared")
SOURCES = [SHARED / "data/moderation_dev.jsonl", ROOT / "community/moderation/data/own-cases.jsonl"]
FILLER = (" Thanks for reading, and thanks to everyone here for the support this month."
          " Fatigue has been up and down but the new routine helps a bit.")


def rss_mb():
    """Current resident set size (Linux /proc), in MB."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def load_posts():
    posts = []
    for path in SOURCES:
        if path.exists():
            with open(path, encoding="utf-8") as fh:
                posts += [json.loads(line) for line in fh if line.strip()]
    if not posts:
        sys.exit("no labelled posts found")
    return posts


def load_texts():
    return [post["text"] for post in load_posts()]


def typical(texts):
    out = []
    for text in texts:
        while len(text) < 100:
            text += FILLER
        out.append(text[:200])
    return out


def long_posts(texts, size=5000, count=200, seed=7, first=None):
    """Posts of `size` characters joined from random texts (after `first`, when given)."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(first)] if first else []
        length = sum(len(p) + 1 for p in parts)
        while length < size:
            part = rng.choice(texts)
            parts.append(part)
            length += len(part) + 1
        out.append(" ".join(parts)[:size])
    return out


def rate(run, posts, seconds):
    """Posts per second of this process's own CPU time (other load on the machine does not count)."""
    n, start = 0, time.process_time()
    deadline = start + seconds
    while True:
        for post in posts:
            run(post)
        n += len(posts)
        now = time.process_time()
        if now >= deadline:
            return n / (now - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="time per size (default 3)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))

    posts = load_posts()
    texts = [p["text"] for p in posts]
    small, large = typical(texts), long_posts(texts)
    # for information: a long post as members write them, one flagged passage in ordinary text
    plain = long_posts([p["text"] for p in posts if not p["labels"]], seed=8,
                       first=[p["text"] for p in posts if p["labels"]])
    rss_start = rss_mb()
    t_start = time.perf_counter()
    import community  # noqa: F401  (the app package, which importing the filters pulls in)
    t0 = time.perf_counter()
    rss0 = rss_mb()
    from community.moderation.filters import quick_check, run_filters, warm
    t1 = time.perf_counter()
    warm()
    t2 = time.perf_counter()
    rss1 = rss_mb()
    for post in small + large[:20]:        # first calls: caches, phone metadata per region
        run_filters(post)

    # The whole judge (rules, classifier, language), beside the rules alone, in one run.
    rss2 = rss_mb()
    from community.moderation import classifier, judge
    t3 = time.perf_counter()
    classifier.model()
    judge.language("warm up")
    t4 = time.perf_counter()
    rss3 = rss_mb()
    for post in small + large[:20]:
        judge.judge(post)

    typical_rate = rate(run_filters, small, args.seconds)
    long_rate = rate(run_filters, large, args.seconds)
    plain_rate = rate(run_filters, plain, args.seconds)
    quick_rate = rate(quick_check, small, args.seconds)
    judged_rate = rate(judge.judge, small, args.seconds)
    judged_long = rate(judge.judge, large, args.seconds)
    composer_rate = rate(judge.quick, small, args.seconds)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {len(small)} typical posts ({min(map(len, small))}-{max(map(len, small))} chars), "
          f"{len(large)} posts of {len(large[0])} chars")
    print(f"import: community package (Flask app stack) {(t0 - t_start) * 1000:.0f} ms, "
          f"+{rss0 - rss_start:.0f} MB; filters (compile rules) {(t1 - t0) * 1000:.0f} ms; "
          f"first use (drug dictionary, name lists, automaton) {(t2 - t1) * 1000:.0f} ms")
    print(f"typical posts:    {typical_rate:8.0f} posts/s   (target >= 5000)")
    print(f"5,000-char posts: {long_rate:8.0f} posts/s   (target >= 500; ~30 labelled snippets each)")
    print(f"5,000-char posts: {plain_rate:8.0f} posts/s   (for information: one labelled post + unlabelled ones)")
    print(f"quick_check:      {quick_rate:8.0f} posts/s   (for information: crisis + phi, typical posts)")
    print(f"RSS: {rss0:.0f} MB with the app package, {rss1:.0f} MB after loading and warming the filters "
          f"(+{rss1 - rss0:.0f} MB); peak {peak:.0f} MB")
    print("with the classifier and language detection (judge.judge, what the worker runs):")
    print(f"typical posts:    {judged_rate:8.0f} posts/s   (target >= 2000)")
    print(f"5,000-char posts: {judged_long:8.0f} posts/s   (target >= 300)")
    print(f"composer check:   {composer_rate:8.0f} posts/s   (for information: judge.quick, typical posts)")
    print(f"classifier + lingua: loaded in {(t4 - t3) * 1000:.0f} ms, +{rss3 - rss2:.0f} MB RSS (target < 150 MB)")
    ok = (typical_rate >= 5000 and long_rate >= 500 and judged_rate >= 2000 and judged_long >= 300
          and rss3 - rss2 < 150)
    print("targets met" if ok else "TARGETS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
