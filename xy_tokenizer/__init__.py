"""XY-Tokenizer: a 1 kbps semantic + acoustic speech codec for Hugging Face transformers."""
