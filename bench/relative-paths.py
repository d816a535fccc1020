#!/usr/bin/env python3
"""bench/relative-paths.py DIR NAME [CHECKPOINT.npz ...]: makes a published run's evidence free of this machine's paths.

A run's config.json (and the settings table of its report.html) names the dataset and the run directory
as absolute paths of the machine it ran on. Here the dataset becomes a path relative to the repository
(its SHA-256 beside it already identifies the data), and the run directory becomes runs/NAME, as the
README's commands write it. Other absolute paths in the command line are made relative to the repository.
Both files are rewritten through a temporary file and a rename. The same goes for the dataset's path in
the checkpoint.json inside DIR/checkpoints/*.npz and the CHECKPOINT.npz files given (a published
models/NAME/best.npz); their arrays are copied byte for byte. bench/publish-run.sh and
bench/snapshot-run.sh call this. `bench/relative-paths.py --back DIR` undoes it for a snapshot laid out
again as a run to resume (bench/long-runs.sh restore).
"""
import glob, json, os, sys
from run_records import edit_checkpoint_json, write

def relative(path, repo):
    return os.path.relpath(os.path.normpath(path), repo)

def absolute(path, repo):
    return os.path.normpath(os.path.join(repo, path))

def relative_checkpoint(npz, repo, back=False):
    """Rewrites the dataset's absolute path in the checkpoint.json of an .npz checkpoint (back: the
    relative path to an absolute one again)."""
    change = {}
    def edit(text):
        source = json.loads(text).get("dataset", {}).get("source")
        if not source or os.path.isabs(source) != (not back):
            return None
        change["from"], change["to"] = source, absolute(source, repo) if back else relative(source, repo)
        return text.replace(json.dumps(source), json.dumps(change["to"]))
    if edit_checkpoint_json(npz, edit):
        print(f"{npz}: {change['from']} -> {change['to']}")

def main(run_dir, name, checkpoints):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config_file = os.path.join(run_dir, "config.json")
    with open(config_file) as f:
        text = f.read()
    config = json.loads(text)
    replacements = {}
    source = config.get("dataset", {}).get("source")
    if source and os.path.isabs(source):
        replacements[source] = config["dataset"]["source"] = relative(source, repo)
    command = config.get("command")
    if command:
        words = command.split(" ")
        for i, w in enumerate(words):
            if i > 0 and words[i - 1] == "--out":
                words[i] = "runs/" + name
            elif os.path.isabs(w):
                words[i] = relative(w, repo)
        replacements[command] = config["command"] = " ".join(words)
    # Textual, so that the rest of the file keeps the form the program wrote.
    for old in sorted(replacements, key=len, reverse=True):
        text = text.replace(json.dumps(old), json.dumps(replacements[old]))
    write(config_file, text)
    report = os.path.join(run_dir, "report.html")
    if os.path.isfile(report):
        with open(report) as f:
            page = f.read()
        # the longest first: the command holds the dataset's path
        for old in sorted(replacements, key=len, reverse=True):
            page = page.replace(old, replacements[old])
        write(report, page)
    for old, new in replacements.items():
        print(f"{run_dir}: {old} -> {new}")
    for npz in sorted(glob.glob(os.path.join(run_dir, "checkpoints", "*.npz"))) + checkpoints:
        relative_checkpoint(npz, repo)

def restore(run_dir):
    """The other way, for a run laid out again from its snapshot to be resumed on this machine: the
    dataset's path, relative to the repository, becomes absolute in config.json and the checkpoints."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    config_file = os.path.join(run_dir, "config.json")
    with open(config_file) as f:
        text = f.read()
    source = json.loads(text).get("dataset", {}).get("source")
    if source and not os.path.isabs(source):
        write(config_file, text.replace(json.dumps(source), json.dumps(absolute(source, repo))))
        print(f"{run_dir}: {source} -> {absolute(source, repo)}")
    for npz in sorted(glob.glob(os.path.join(run_dir, "checkpoints", "*.npz"))):
        relative_checkpoint(npz, repo, back=True)

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--back":
        restore(sys.argv[2])
        sys.exit(0)
    if len(sys.argv) < 3:
        sys.exit("usage: bench/relative-paths.py DIR NAME [CHECKPOINT.npz ...] or bench/relative-paths.py --back DIR")
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
