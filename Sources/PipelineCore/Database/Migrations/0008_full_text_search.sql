-- Full-text search over each analysis, for `collections search --mode hybrid` and for SQL users:
-- `WHERE a.search_document @@ websearch_to_tsquery('english', 'red flowers')`, ranked by
-- `ts_rank_cd(a.search_document, query)`. Weights: the summary A, the tags B, the description
-- and any text seen in the image C. The configuration is named ('english'), never the server's
-- default_text_search_config, so the stored column and every query agree.
--
-- array_to_string is only STABLE (it formats elements with their type's output function), so a
-- generated column cannot call it. For text[] that formatting cannot change, so this wrapper is
-- declared IMMUTABLE.
CREATE FUNCTION collections_tags_text(tags text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN array_to_string(tags, ' ');

ALTER TABLE analyses ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, summary), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(collections_tags_text(tags), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, description || ' ' || detected_text), 'C')
) STORED;

CREATE INDEX analyses_search_document_idx ON analyses USING gin (search_document);
