"""Practika on AWS, as the seed diagram draws it: one CDK construct per diagram group."""
