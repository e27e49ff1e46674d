-- One row per source object (bucket + key). Written by Analyzer from the ImageProcessed event.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE items (
    item_id       uuid PRIMARY KEY,
    user_id       text        NOT NULL,
    bucket        text        NOT NULL,
    object_key    text        NOT NULL,
    etag          text        NOT NULL,
    version_id    text,
    sequencer     text,
    content_type  text        NOT NULL,
    format        text,
    width         integer     NOT NULL CHECK (width > 0),
    height        integer     NOT NULL CHECK (height > 0),
    bytes         bigint      NOT NULL CHECK (bytes > 0),
    thumbnail_key text        NOT NULL,
    rendition_key text,
    status        text        NOT NULL DEFAULT 'processed'
                  CHECK (status IN ('processed', 'analyzed', 'embedded', 'failed')),
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (bucket, object_key)
);

CREATE INDEX items_user_created_idx ON items (user_id, created_at DESC);
CREATE INDEX items_status_idx ON items (status) WHERE status <> 'embedded';
