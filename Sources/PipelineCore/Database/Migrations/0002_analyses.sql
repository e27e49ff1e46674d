-- One row per item version, model and prompt version: a replay updates it, never adds one.
CREATE TABLE analyses (
    analysis_id    uuid PRIMARY KEY,
    item_id        uuid        NOT NULL REFERENCES items (item_id) ON DELETE CASCADE,
    etag           text        NOT NULL,
    model          text        NOT NULL,
    prompt_version text        NOT NULL,
    category       text        NOT NULL,
    summary        text        NOT NULL,
    description    text        NOT NULL,
    tags           text[]      NOT NULL DEFAULT '{}',
    objects        text[]      NOT NULL DEFAULT '{}',
    colors         text[]      NOT NULL DEFAULT '{}',
    detected_text  text        NOT NULL DEFAULT '',
    raw            jsonb       NOT NULL,
    input_tokens   integer     NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
    output_tokens  integer     NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
    request_id     text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (item_id, etag, model, prompt_version)
);

CREATE INDEX analyses_item_updated_idx ON analyses (item_id, updated_at DESC);
CREATE INDEX analyses_tags_idx ON analyses USING gin (tags);
CREATE INDEX analyses_category_idx ON analyses (category);
