"""`[core] hostname_callable` of the Celery test's workers: two workers on one machine
report different hostnames (the task instances' `hostname`), so the test can see which
worker ran what."""
import os
import socket


def hostname() -> str:
    return f"{socket.getfqdn()}#worker{os.environ.get('AKHBAR_TEST_WORKER', '?')}"
