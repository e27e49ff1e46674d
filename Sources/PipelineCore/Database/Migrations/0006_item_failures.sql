-- Failures a SQL user can see. An item whose image was refused (corrupt, too large, not a photo)
-- or that a model refused still gets its row, with status 'failed', the stage that failed, a
-- stable error code and the message. Such a row may lack what only a decoded image provides.
ALTER TABLE items
    ALTER COLUMN content_type DROP NOT NULL,
    ALTER COLUMN width DROP NOT NULL,
    ALTER COLUMN height DROP NOT NULL,
    ALTER COLUMN bytes DROP NOT NULL,
    ALTER COLUMN thumbnail_key DROP NOT NULL,
    ALTER COLUMN etag DROP NOT NULL,
    ADD COLUMN error_stage text CHECK (error_stage IN ('ImageProcessor', 'Analyzer', 'Embedder')),
    ADD COLUMN error_code text,
    ADD CONSTRAINT items_complete_unless_failed CHECK (
        status = 'failed'
        OR (content_type IS NOT NULL AND width IS NOT NULL AND height IS NOT NULL AND bytes IS NOT NULL
            AND thumbnail_key IS NOT NULL AND etag IS NOT NULL)),
    ADD CONSTRAINT items_failure_explained CHECK (
        status <> 'failed' OR (error IS NOT NULL AND error_stage IS NOT NULL AND error_code IS NOT NULL));

ALTER TABLE items DROP CONSTRAINT items_bytes_check;
ALTER TABLE items ADD CONSTRAINT items_bytes_check CHECK (bytes >= 0);

CREATE INDEX items_failed_idx ON items (user_id, updated_at DESC) WHERE status = 'failed';
