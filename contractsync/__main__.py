from contractsync.cli import run

run()
