ALTER TABLE `battles` ADD `instance_id` text;--> statement-breakpoint
ALTER TABLE `chats` ADD `instance_id` text;