# The action server (rasa-sdk and actions/ only), a non-root user, a health
# check. Built by `make image` (deploy/build-images.sh).
FROM baekkenloesning/base:bookworm

ARG WHEELS
# rasa-sdk, pinned by requirements.txt
COPY requirements.txt /tmp/
RUN python3.10 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links "$WHEELS" \
      -c /tmp/requirements.txt rasa-sdk \
 && rm /tmp/requirements.* \
 && useradd --create-home --uid 1001 actions

WORKDIR /app
COPY actions/ actions/
USER actions
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 ACTIONS_PORT=5055
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ['ACTIONS_PORT'], timeout=4)"
CMD ["sh", "-c", "exec python -m rasa_sdk --actions actions --port \"$ACTIONS_PORT\""]
