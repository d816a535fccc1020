"""Rewrites of a run's JSON records in place, for bench/relative-paths.py and bench/pin-precision.py.

Each goes through a temporary file and a rename, so a record is never left half-written; a checkpoint's
arrays are copied byte for byte, each entry with its own name, time and compression.
"""
import os, tempfile, zipfile

def write(path, text):
    """Replaces the text file at PATH with TEXT, keeping the file's mode."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix="." + os.path.basename(path))
    with os.fdopen(fd, "w", newline="\n") as f:
        f.write(text)
    os.chmod(tmp, os.stat(path).st_mode & 0o777)  # mkstemp's file is private; keep the original's mode
    os.replace(tmp, path)

def edit_checkpoint_json(npz, edit):
    """Applies EDIT (the text of checkpoint.json -> new text, or None for no change) to the checkpoint.json
    inside the .npz checkpoint NPZ; returns whether it changed the file."""
    with zipfile.ZipFile(npz) as z:
        text = edit(z.read("checkpoint.json").decode("utf-8"))
        if text is None:
            return False
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(npz), prefix="." + os.path.basename(npz))
        with os.fdopen(fd, "wb") as f, zipfile.ZipFile(f, "w") as out:
            for info in z.infolist():
                out.writestr(info, text.encode("utf-8") if info.filename == "checkpoint.json" else z.read(info.filename))
    os.chmod(tmp, os.stat(npz).st_mode & 0o777)
    os.replace(tmp, npz)
    return True
