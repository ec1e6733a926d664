from community.core.mail import send_mail


def test_console_backend_prints_the_decoded_mail(app, monkeypatch, capsys):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    with app.test_request_context():
        send_mail("lea@example.org", "Votre lien", "Bonjour Léa,\nhttp://localhost/x")
    printed = capsys.readouterr().err
    assert "mail to lea@example.org: Votre lien" in printed and "Bonjour Léa," in printed


def test_smtp_backend_delivers_text_and_html(app, outbox):
    with app.test_request_context():
        send_mail("lea@example.org", "Sujet accentué", "Texte é", "<p>HTML é</p>")
    [message] = outbox.to("lea@example.org")
    assert message["Subject"] == "Sujet accentué"
    assert outbox.text_of(message).strip() == "Texte é"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>HTML é</p>"
