ALTER TABLE "reviews" ADD COLUMN "column_mapping" jsonb;
