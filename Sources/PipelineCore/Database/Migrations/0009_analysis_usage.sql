-- The rest of the Messages API's usage, stored with each analysis so `collections cost` prices
-- what was billed: thinking tokens (part of output_tokens, which stays the billed total;
-- usage.output_tokens_details.thinking_tokens) and prompt-cache writes and reads
-- (cache_creation_input_tokens, cache_read_input_tokens), which are billed at their own rates and
-- count toward a model's long-prompt tier.
ALTER TABLE analyses
    ADD COLUMN thinking_tokens integer NOT NULL DEFAULT 0 CHECK (thinking_tokens >= 0),
    ADD COLUMN cache_write_tokens integer NOT NULL DEFAULT 0 CHECK (cache_write_tokens >= 0),
    ADD COLUMN cache_read_tokens integer NOT NULL DEFAULT 0 CHECK (cache_read_tokens >= 0);
