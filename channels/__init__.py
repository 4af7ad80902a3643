"""Messaging channels: WhatsApp (through Twilio), Telegram and Facebook Messenger.

One connector module per channel (`whatsapp_twilio`, `telegram`, `messenger`), all
built on `connector.ClinicInputChannel`, which does what every channel must: refuse
requests while a secret is missing, verify the provider's signature before anything
else, answer malformed payloads with a 4xx, process each delivery once, and reply to
content the assistant cannot read with an approved response.

The decisions themselves are plain functions without Rasa or Sanic imports, tested
without a server: `signatures`, `deliveries`, `inbound` (what did the visitor send?),
`text_split`, `buttons` and `settings`.
"""
