# syntax=docker/dockerfile:1.7
# The Practika service image: `practika serve` (api) and `practika worker` (worker)
# on ECS Fargate. Dependencies come from uv.lock, exactly as tested.

ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
# Dependencies first, in their own layer: they change far less often than the code.
COPY pyproject.toml uv.lock README.md ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-group infra --extra media --no-install-project
COPY src ./src
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-group infra --extra media --no-editable

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 practika \
    && useradd --system --uid 10001 --gid practika --home-dir /app --shell /usr/sbin/nologin practika
COPY --from=build --chown=10001:10001 /app/.venv /app/.venv
# RDS's CA bundle (every region): the app verifies the database's certificate and host
# name against it (verify-full, PRACTIKA_DATABASE_SSL_ROOT_CERT).
ADD --chmod=444 https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /app/certs/rds-global-bundle.pem
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PRACTIKA_HOST=0.0.0.0 \
    PRACTIKA_DATA_DIR=/tmp/practika \
    PRACTIKA_LOG_FORMAT=json \
    PRACTIKA_DATABASE_SSL_ROOT_CERT=/app/certs/rds-global-bundle.pem
WORKDIR /app
USER 10001:10001
EXPOSE 8000
# ECS defines its own container health checks (infra/); this one serves `docker run`.
# The worker (PRACTIKA_SERVICE_ROLE=worker) has no port: alive is healthy, as on ECS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; os.environ.get('PRACTIKA_SERVICE_ROLE') == 'worker' or u.urlopen('http://127.0.0.1:8000/healthz', timeout=3)"]
ENTRYPOINT ["practika"]
CMD ["serve"]
