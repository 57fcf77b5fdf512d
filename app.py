"""The explorer: ask the graph research questions and see the evidence.

Run with ``kg app`` (or ``streamlit run app.py``); the store comes from
``$KG_STORE`` (default ``./.kg``).
"""

import streamlit as st

from kg import explorer

st.set_page_config(page_title="ML knowledge graph", page_icon="🔎", layout="wide")


@st.cache_resource(show_spinner="Opening the graph…")
def graph(spec: str):
    return explorer.connect(spec)


store = graph(explorer.store_spec())
st.sidebar.caption("Store")
st.sidebar.code(store.describe(), language=None)

st.title("Which methods report on a dataset?")
datasets = explorer.dataset_names(store)
if not datasets:
    st.info("The graph has no datasets yet: run `kg build data/sample/hf-papers-listing.txt`.")
    st.stop()

default = next((i for i, name in enumerate(datasets) if name.lower() == "newsclippings"), 0)
dataset = st.selectbox("Dataset", datasets, index=default, key="dataset")
rows = explorer.methods_on_dataset(store, dataset)
st.subheader(f"{len(rows)} method(s) report on {dataset}")
st.dataframe(
    [{"method": r["method"], "paper": r["title"] or r["paper"], "evidence": r["evidence"]} for r in rows],
    hide_index=True, use_container_width=True, key="methods",
)
for row in rows:
    with st.expander(f"{row['method']} — {row['title'] or row['paper']}"):
        st.markdown(f"> {row['evidence']}")
        st.caption(f"paper id: {row['paper']}")
