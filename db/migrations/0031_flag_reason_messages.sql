-- A model's health-flag reasons kept also as catalogue codes and values (lib/i18n/server-sentence.ts), one per reason, so
-- the models list, model page, Deployments and monitoring pages say them in the reader's language. Null on flags checked
-- before, whose English text (flag_reasons, unchanged) is shown until the next check.
ALTER TABLE "model_monitoring" ADD COLUMN "flag_reason_messages" jsonb;