// What is one paper: its title, year, link, source and abstract?
// Parameters: paper (paper id)
// Returns: paper, title, year, url, source, abstract
// Example: kg query paper-info -p paper=2310.01234
MATCH (p:Paper {key: $paper})
RETURN p.key AS paper, p.title AS title, p.year AS year, p.url AS url, p.source AS source,
       p.abstract AS abstract
