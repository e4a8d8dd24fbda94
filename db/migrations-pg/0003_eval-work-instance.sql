ALTER TABLE "eval_generations" ADD COLUMN "instance_id" text;--> statement-breakpoint
ALTER TABLE "eval_judgments" ADD COLUMN "instance_id" text;