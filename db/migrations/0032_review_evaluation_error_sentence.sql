-- A failed evaluation's reason kept also as a catalogue code and values (lib/i18n/server-sentence.ts), so the review page
-- says it in the reader's language. Null on reviews that failed before, whose English text (evaluation_error) is shown.
ALTER TABLE "reviews" ADD COLUMN "evaluation_error_sentence" jsonb;