# The project's action server (scripts/action_server.py: rasa-sdk's application
# on 127.0.0.1 by default, the shared secret checked, malformed calls refused)
# with actions/, as a non-root user, with a health check. Built by `make image`
# (deploy/build-images.sh).
FROM baekkenloesning/base:bookworm

ARG WHEELS
# rasa-sdk and jsonschema (build/wheels/actions.in), pinned by requirements.txt;
# the manifest first, so the step is built again when the wheels change.
COPY requirements.txt build/wheels/actions.in build/wheels/MANIFEST.sha256 /tmp/wheels/
RUN python3.10 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links "$WHEELS" \
      -c /tmp/wheels/requirements.txt -r /tmp/wheels/actions.in \
 && rm -r /tmp/wheels \
 && useradd --create-home --uid 1001 actions

WORKDIR /app
COPY actions/ actions/
COPY knowledge/ knowledge/
COPY scripts/__init__.py scripts/action_server.py scripts/
USER actions
# ACTIONS_PORT (5055), ACTION_SERVER_HOST (127.0.0.1), ACTION_SERVER_SECRET.
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 ACTIONS_PORT=5055
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['ACTIONS_PORT'], timeout=4)"
CMD ["python", "-m", "scripts.action_server", "--actions", "actions"]
