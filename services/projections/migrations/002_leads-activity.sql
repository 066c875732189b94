-- Up Migration

-- What the rest of the lead stream adds to a lead's row: touches (the capture's own counts as the
-- first), activities, the profile fields analysts filter on, consent, and the lead a merged one went to.
ALTER TABLE leads
  ADD COLUMN touch_count int NOT NULL DEFAULT 0,
  ADD COLUMN last_touch_at timestamptz,
  ADD COLUMN last_channel text,
  ADD COLUMN last_campaign text,
  ADD COLUMN activity_count int NOT NULL DEFAULT 0,
  ADD COLUMN last_activity_at timestamptz,
  ADD COLUMN country text,
  ADD COLUMN industry text,
  ADD COLUMN company_size int,
  ADD COLUMN consent_marketing boolean,
  ADD COLUMN opted_out boolean,
  ADD COLUMN merged_into uuid;

-- Rows so far come from LeadCaptured alone, so their one touch is the capture's. The touch time was
-- not kept; the capture time stands in for it until the read model is rebuilt from the events.
UPDATE leads
SET touch_count = 1, last_touch_at = captured_at, last_channel = channel, last_campaign = campaign;
