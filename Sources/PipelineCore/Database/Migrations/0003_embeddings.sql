-- One vector per analysis, model and dimension. The column has no fixed dimension so that models
-- of different sizes can live side by side; each dimension has its own partial HNSW index below.
CREATE TABLE embeddings (
    embedding_id uuid PRIMARY KEY,
    item_id      uuid        NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    analysis_id  uuid        NOT NULL REFERENCES analyses (analysis_id) ON DELETE CASCADE,
    model        text        NOT NULL,
    dimensions   integer     NOT NULL CHECK (dimensions > 0),
    embedding    vector      NOT NULL CHECK (vector_dims(embedding) = dimensions),
    content_hash text        NOT NULL,
    total_tokens integer     NOT NULL DEFAULT 0 CHECK (total_tokens >= 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (analysis_id, model, dimensions)
);

CREATE INDEX embeddings_item_idx ON embeddings (item_id);
