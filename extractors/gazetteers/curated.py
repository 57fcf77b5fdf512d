"""Hand-maintained knowledge the gazetteer build applies to the generated name
lists: names to drop, words that make a name ambiguous, and which way a
metric improves. (Curated *names* live in ``extractors/data/curated.jsonl``
and ``extractors/data/methods.jsonl``.)
"""

from __future__ import annotations

import re

# --- names dropped outright (after clean_name; compared case-sensitively) ------

#: Raw Papers-with-Code dataset names that are not datasets (settings, places,
#: people, sources named only by a generic word, leaderboard oddities).
DATASET_DENY = {
    "Adversarial", "All", "Ambiguous dataset", "Base Dataset", "Classic", "custom",
    "Digits", "General", "Knowledge-based", "Medical domain", "Music domain",
    "Northwestern University", "Kumar", "Restricted", "Unrestricted", "Supervised",
    "Real", "Web", "Wiki", "Geo", "Activity", "Cell", "Plant", "Shapes", "Chairs",
    "Shoes", "Handbags", "Bottles", "Letter", "Paper Field", "Circle Data", "Cancer",
    "PWC Leaderboards", "Noun Phrase Canonicalization", "Visual Question Generation",
    "Cooperative Vision-and-Dialogue Navigation", "Query Wellformedness",
    "Multi-day Continuous BP Prediction", "100 sleep nights of 8 caregivers",
    "Google 5 qubit random Hamiltonian", "ultracold fermions Technion system",
    "ultracold fermions Technion system, pixelfly", "Metamath set.mm", "chords",
    "Help, Anna!", "Derczynski", "Tejani", "Now You're Cooking!", "Sudoko 9x9", "Rotated MNIST",
}
#: Raw names matching these are dropped (domain-transfer pairs, model settings).
DATASET_DENY_RE = re.compile(
    r"->|→|-->|\bvs\.?\b|\bto\b|-to-(?!Room)|\bmodel\b|ResNet-\d|Epochs|DMControl|"
    r"\bsteps of\b|\bclasses \+|\(Fine-grained 6 Tasks\)|Pre-Training|\bTask \d|Subtask|"
    r"\bSub Task\b|physiology_|_test set|^[a-z]{2}-[a-z]{2}$|\bWER\b|Unconditional",
    re.I,
)

#: Papers-with-Code task names that are not tasks, or too generic to tag.
TASK_DENY = {
    "EEG", "Time Series", "Knowledge Graphs", "Local Distortion", "Classification Consistency",
    "NetHack Score", "Latent Variable Models", "Topic Models", "Core set discovery",
    "Value prediction", "Type prediction", "Paper generation", "Rotated MNIST", "SSIM",
    "MS-SSIM", "Youtube-VOS", "Starcraft II", "SNES Games", "Stress-Strain Relation",
    "Band Gap", "Formation Energy", "Scene Understanding", "Game of Suduko", "Unsupervised MNIST",
    "Sparse Learning", "Stochastic Optimization",
}

#: Single-word task names allowed to match case-insensitively.
TASK_SINGLE_OK = {"denoising", "deblurring", "dehazing", "lipreading", "chunking", "deraining", "inpainting"}

#: Papers-with-Code metric names that are not metrics (dataset splits, settings,
#: domains) or too vague to tag.
METRIC_DENY = {
    "# of clusters (k)", "10 Hops", "4 Hops", "5 Hops", "6 Hops", "7 Hops", "8 Hops", "9 Hops",
    "10%", "10 fold Cross validation", "5 fold cross validation", "Base Dataset", "Books",
    "CNN", "CallHome", "City level", "Continent level", "Country level", "Region level",
    "Street level", "Daily Mail", "DVD", "Electronics", "Food", "Kitchen", "Fullset",
    "In-domain", "Out-of-domain", "Matched", "Mismatched", "Multi-View or Monocular", "MRPC",
    "MOVIE", "POS", "Pre-Training Dataset", "RACE", "RACE-h", "RACE-m", "Reference images",
    "ReVerb45k", "SemEval 2007", "SemEval 2013", "SemEval 2015", "Senseval 2", "Senseval 3",
    "SICK-E", "SICK-R", "STS", "SwitchBoard", "Training Split", "Training images",
    "Using 2D ground-truth joints", "Ambiguous dataset", "Sentiment", "Aspect", "Price",
    "Request", "Real", "Adversarial", "Test", "Val", "Validation", "Dev", "All", "Overall",
    "Sup", "Score", "Average", "Joint", "Quality", "Return", "Success", "Consistency",
    "Area", "Edit", "count", "coverage", "Laptop (Acc)", "Laptop (F1)", "Restaurant (Acc)",
    "Restaurant (F1)", "I. Obstruction", "interest (human)", "relevance (human)", "UA",
    "Mean Acc (Restaurant + Laptop)", "Mean F1 (Laptop + Restaurant)", "Test Score",
    "Average Score", "Max Score", "Speaker Similarity", "Parameters",
}

# --- words that make a name ambiguous --------------------------------------------

#: General English words that collide with benchmark names but are rare in the
#: word-frequency corpus (so the corpus alone would not flag them).
EXTRA_COMMON = {
    "abalone", "acrobot", "ant", "atlas", "bedroom", "berkeley", "bottles", "breakfast",
    "cambridge", "campus", "cancer", "census", "chairs", "cheetah", "classic", "coin",
    "company", "delicious", "digits", "electricity", "florence", "frappe", "glove", "hard",
    "helpdesk", "hopper", "horse", "impact", "letter", "libras", "lime", "mall", "mars",
    "morph", "mushroom", "occlusion", "palm", "pascal", "patents", "piano", "pile", "plant",
    "potsdam", "pupil", "recipe", "reverb", "set", "shelf", "shoes", "sofa", "soybean",
    "spider", "sprites", "squad", "steam", "surreal", "swag", "swimmer", "thyroid",
    "venice", "volleyball", "wafer", "wine", "drop", "race", "places", "bloom", "whisper",
    "falcon", "alpaca", "gemini", "orca", "codex", "flamingo", "gopher", "chinchilla",
    "pegasus", "rainbow", "reptile", "dreamer", "performer", "reformer", "sparrow", "dolly",
    "faust", "jester", "quasar", "nottingham", "middlebury", "montalbano", "django",
    "koala", "vicuna", "zephyr", "claude", "mistral", "phi", "imagen", "muse", "tango",
    "jukebox", "ernie", "oscar", "align", "sort", "arc", "math", "copa",
    "general", "cars", "dogs", "faces", "flowers",
    "birds", "food", "pets", "kitchen", "books", "games",
}

#: Sites and services: "Twitter" alone is more often the platform than a dataset.
PLATFORMS = {
    "Alibaba", "Amazon", "arXiv", "Avito", "Bing", "Ciao", "Douban", "Epinions", "Facebook",
    "Flickr", "Flixster", "Gnutella", "Google", "LiveJournal", "Netflix", "Pinterest",
    "Reddit", "Slashdot", "Steam", "Tradesy", "Twitter", "Udacity", "WeChat", "Wikipedia",
    "YouTube", "Yelp", "Yahoo", "Last.FM", "Food.com", "allrecipes.com", "Comma.ai",
    "Darpa", "Delicious", "Declicious", "Dianping", "NIH", "MIT", "CASIA", "UCSD", "UCF",
    "CUHK", "Berkeley", "Cambridge", "Caltech", "Stanford", "Wolfenstein", "Piano",
}

# --- metric direction -------------------------------------------------------------

_LOWER_IS_BETTER = re.compile(
    r"error|\berr\b|\b[a-z]?err\b|loss|perplexity|\bppl\b|\bwer\b|\bcer\b|\bper\b|\bter\b|"
    r"\bder\b|\bfid\b|\bkid\b|\bfrd\b|frechet|fréchet|inception distance|\bmae\b|\bmse\b|"
    r"rmse|\brms\b|\bmape\b|smape|\bmase\b|\bcrps\b|\beer\b|\bhter\b|\bacer\b|apcer|bpcer|"
    r"\bfpr\b|\bfnr\b|\bfar\b|latency|runtime|\btime\b|\(s\)|\(ms\)|\bsec\b|seconds|"
    r"\bparams?\b|parameters|\bflops\b|gflops|\bmacs\b|model size|\bsize\b|memory|"
    r"distance|\bade\b|\bfde\b|\bepe\b|aepe|hausdorff|chamfer|\bemd\b|\bmmd\b|\bnll\b|"
    r"negll|neg\w* log|\bbpd\b|bits?[ /]per|bits/dim|\bbpc\b|\bbpsp\b|\bnats\b|regret|"
    r"\bmr\^-2|miss rate|\bmmr\b|\bmedian rank\b|\bmean rank\b|\bmedr\b|\bmnr\b|\bmr\b|"
    r"\bnme\b|\bmpjpe\b|mpvpe|\bmjpe\b|abs\s*rel|sq\s*rel|absolute relative|"
    r"\bniqe\b|brisque|\blpips\b|\bmce\b|\bdld\b|\bld\b|\bkl\b|divergence|"
    r"id switch|\bidsw?\b|\bfrag\b|\bnoc@|hamming|one-error|\bger\b|\bdistortion\b|"
    r"warping|angular|\bnegative elbo\b|\bviolation|cost\b|\bfpr95\b|\bl1\b|\bl2\b|"
    r"\bsad\b|\bmad\b|\bgtd\b|\boob rate|step change|interpolation error|v2v|\bterr\b|"
    r"\brerr\b|\bperr\b|\bsd\b|\bstdev\b|iMAE|iRMSE",
    re.I,
)
_HIGHER_DESPITE = re.compile(
    r"\brank-\d|rank-?1\b|\brank@|\br@\d|recall|accuracy|\bacc\b|success|\bauc\b|"
    r"\bsnr\b|\bsdr\b|\bpsnr\b|ssim|\bpesq\b|\bstoi\b|\bfps\b|speed|\bhits?@|"
    r"\belbo\b(?!.*negative)|log-likelihood|\bll\b|improvement|sdri|\bsi-sdr|\btar\b|\bgar\b|"
    r"\bm?ap(?:h|s|m|l|50|75|bb\d*)?\b|\berr@|\bpck|\bmota\b|\bmotp\b",
    re.I,
)


def guess_direction(name: str) -> str:
    """``"lower"`` when a smaller value of the metric is better (errors,
    distances, perplexity, cost, size, time), else ``"higher"``."""
    if re.search(r"negative elbo|negll|\bnll\b|error rate|\bmean rank|median rank|apcer|bpcer|\bacer|neg jacob", name, re.I):
        return "lower"
    if _HIGHER_DESPITE.search(name):
        return "higher"
    return "lower" if _LOWER_IS_BETTER.search(name) else "higher"
