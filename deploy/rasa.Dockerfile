# The Rasa server: the trained model and the Danish spaCy pipeline baked in, a
# non-root user, a health check. Built by `make image` (deploy/build-images.sh).
# Configuration comes from the environment (README, "Deploying"): DB_*,
# REDIS_*, RASA_PORT, RASA_INTERFACE, RASA_AUTH_TOKEN.
FROM baekkenloesning/base:bookworm

ARG WHEELS
# The runtime block of requirements.in (build/wheels/runtime.in), pinned by
# requirements.txt, from the wheels `make image` serves on 127.0.0.1. The
# wheels' manifest is copied first so that this step is built again whenever
# the set of wheels changes (deploy/wheels.sh checked it installs from them).
COPY requirements.txt build/wheels/runtime.in build/wheels/MANIFEST.sha256 /tmp/wheels/
RUN python3.10 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --no-index --find-links "$WHEELS" \
      -c /tmp/wheels/requirements.txt -r /tmp/wheels/runtime.in \
 && rm -r /tmp/wheels \
 && useradd --create-home --uid 1001 rasa

WORKDIR /app
COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY assistant/ assistant/
COPY knowledge/ knowledge/
# data files some components read at run time (e.g. data/triage/red_flags.yml)
COPY data/ data/
# the article's numbered sentences and the source map behind each FAQ answer
COPY source/ source/
COPY widget/ widget/
COPY build/spacy_da/ build/spacy_da/
COPY models/current.tar.gz models/current.tar.gz
COPY deploy/rasa-entrypoint.sh /usr/local/bin/rasa-entrypoint
RUN mkdir -p var && chown rasa:rasa var

USER rasa
ENV PATH=/opt/venv/bin:$PATH \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RASA_PORT=5005
HEALTHCHECK --interval=5s --timeout=5s --start-period=120s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/webhooks/rest/' % os.environ['RASA_PORT'], timeout=4)"
ENTRYPOINT ["rasa-entrypoint"]
