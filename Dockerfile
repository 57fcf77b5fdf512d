# The kg command line and the Streamlit explorer; the graph lives in Neo4j
# (see docker-compose.yml and docs/neo4j.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 kg
WORKDIR /app

COPY pyproject.toml README.md app.py ./
COPY kg/ kg/
COPY cypher/ cypher/
COPY extractors/ extractors/
RUN pip install .

COPY data/sample/ data/sample/
RUN chown -R kg:kg /app
USER kg

ENV KG_STORE=bolt://neo4j:7687
EXPOSE 8501
CMD ["sh", "-c", "kg build data/sample/hf-papers-listing.txt --store \"$KG_STORE\" && kg app --store \"$KG_STORE\" --address 0.0.0.0"]
