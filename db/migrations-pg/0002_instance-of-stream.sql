ALTER TABLE "battles" ADD COLUMN "instance_id" text;--> statement-breakpoint
ALTER TABLE "chats" ADD COLUMN "instance_id" text;