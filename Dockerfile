# syntax=docker/dockerfile:1
#
# akhbar on the official Airflow image. Used by docker-compose.yml (`build: .`); build it alone with
#   docker build -t akhbar-airflow .
#
# Two stages:
#   wheels - builds the wheels that have no binary on PyPI for this platform (psycopg2, which
#            akhbar depends on; it is not the psycopg2-binary that the postgres provider brings).
#            The runtime Airflow image has no compiler and no libpq headers, so they are
#            installed here only and do not end up in the final image.
#   final  - installs akhbar with its `airflow` extra against the repo's constraints.txt, then
#            camel-tools without its dependencies, and puts dags/, plugins/ and config/ where
#            Airflow looks for them.

ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.11

########################################################################################
FROM ${AIRFLOW_IMAGE} AS wheels

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential libpq-dev \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
USER airflow

COPY --chown=airflow:0 constraints.txt /tmp/constraints.txt
# Same version as the final install resolves to, because both use constraints.txt.
RUN pip wheel --no-cache-dir --no-deps --constraint /tmp/constraints.txt \
        --wheel-dir /tmp/wheels psycopg2

########################################################################################
FROM ${AIRFLOW_IMAGE}

# libpq5 is what the psycopg2 wheel built above links against (the official image already
# ships it with its PostgreSQL client; this keeps that explicit).
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/*
USER airflow

COPY --from=wheels /tmp/wheels /tmp/wheels

# The project source (see .dockerignore for what is left out).
WORKDIR /opt/akhbar
COPY --chown=airflow:0 . /opt/akhbar

# apache-airflow is pinned to the image's own version so that installing akhbar can never
# up- or downgrade the Airflow that the image was built for (constraints.txt must agree).
# camel-tools goes in with --no-deps on purpose: its declared dependencies pull torch and
# transformers (~1.7 GB); the modules akhbar uses (normalize, dediac, word tokenizer) only
# need six, emoji and regex, which are akhbar's own dependencies.
RUN pip install --no-cache-dir --find-links /tmp/wheels \
        --constraint constraints.txt "apache-airflow==${AIRFLOW_VERSION}" ".[airflow]" \
 && pip install --no-cache-dir --no-deps camel-tools==1.6.0 \
 && python -c "import akhbar, psycopg2, camel_tools.utils.normalize, camel_tools.utils.dediac, camel_tools.tokenizers.word" \
 && rm -rf /opt/akhbar/build

# DAGs, plugins and config (feed lists) at Airflow's default paths. docker-compose.yml mounts
# ./config over /opt/airflow/config so that feeds can be edited without a rebuild.
COPY --chown=airflow:0 dags/ /opt/airflow/dags/
COPY --chown=airflow:0 plugins/ /opt/airflow/plugins/
COPY --chown=airflow:0 config/ /opt/airflow/config/

ENV AIRFLOW__CORE__DAGS_FOLDER=/opt/airflow/dags \
    AIRFLOW__CORE__PLUGINS_FOLDER=/opt/airflow/plugins \
    AIRFLOW__CORE__LOAD_EXAMPLES=False \
    AKHBAR_FEEDS=/opt/airflow/config/feeds.sample.yaml

WORKDIR /opt/airflow
