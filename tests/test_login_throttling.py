"""Admin logins are throttled by django-axes: after AXES_FAILURE_LIMIT failures
for one username from one address, or from one address whatever the
usernames, that pair or that address is refused (even with the right
password) until the cool-off has passed. The admin's password reset form is
throttled per address and per email address."""

import datetime
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

LOGIN = "/admin/login/"
PASSWORD = "right-password"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=10)
    return settings


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client, password, username="editor", ip="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


def fail(client, times, **kwargs):
    for number in range(1, times + 1):
        response = log_in(client, "wrong", **kwargs)
        # The form again with its error; the failure that reaches the limit locks out.
        limit = django_settings.AXES_FAILURE_LIMIT
        assert response.status_code == (429 if number >= limit else 200)
        assert "_auth_user_id" not in client.session


def assert_locked_out(response, client):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many sign-in attempts" in html and "10 minutes" in html
    assert "_auth_user_id" not in client.session


def assert_logged_in(response, client, editor):
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_defaults_are_five_failures_and_fifteen_minutes():
    # The values cms.settings.base reads from the environment when nothing is set.
    from cms.settings import base

    assert base.AXES_FAILURE_LIMIT == 5
    assert base.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert django_settings.AUTHENTICATION_BACKENDS[0].startswith("axes.backends.")


def test_after_the_limit_even_the_right_password_is_refused(client, editor):
    fail(client, 3)
    assert_locked_out(log_in(client, PASSWORD), client)
    assert_locked_out(log_in(client, "wrong"), client)


def test_fewer_failures_than_the_limit_do_not_lock_out(client, editor):
    fail(client, 2)
    assert_logged_in(log_in(client, PASSWORD), client, editor)


def test_the_lockout_is_for_that_address_not_the_account_everywhere(client, editor):
    other = get_user_model().objects.create_user("reviewer", "r@example.org", PASSWORD)
    fail(client, 3)
    # The same account from elsewhere is fine ...
    assert_logged_in(log_in(client, PASSWORD, ip="198.51.100.9"), client, editor)
    client.logout()
    # ... but the address that failed is refused for every account.
    assert_locked_out(log_in(client, PASSWORD, username="reviewer"), client)
    response = log_in(client, PASSWORD, username="reviewer", ip="198.51.100.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


@pytest.mark.parametrize("usernames", [30])
def test_one_address_guessing_many_usernames_is_locked_out(client, editor, usernames):
    # A failure or two for each of many usernames never reaches the per-username
    # limit; the address's count does.
    for attempt in range(120):
        response = log_in(client, "wrong", username=f"user{attempt % usernames}")
        assert response.status_code == (429 if attempt + 1 >= 3 else 200), attempt
    assert_locked_out(log_in(client, PASSWORD), client)
    # Another address is not affected.
    assert_logged_in(log_in(client, PASSWORD, ip="198.51.100.9"), client, editor)


def test_logging_in_to_one_account_does_not_clear_the_addresss_other_failures(client, editor):
    mine = get_user_model().objects.create_user("mine", "m@example.org", PASSWORD)
    log_in(client, "wrong", username="someone")
    log_in(client, "wrong", username="someone-else")
    # The attacker's own account logs in: only its own failures are cleared ...
    response = log_in(client, PASSWORD, username="mine")
    assert client.session["_auth_user_id"] == str(mine.pk)
    client.logout()
    # ... so the third failure from the address still locks it out.
    assert log_in(client, "wrong", username="another").status_code == 429
    assert_locked_out(log_in(client, PASSWORD), client)
    assert response.status_code == 302


def test_a_success_clears_that_usernames_own_failures(client, editor):
    fail(client, 2)
    assert_logged_in(log_in(client, PASSWORD), client, editor)
    assert not AccessAttempt.objects.filter(username="editor").exists()


def test_logins_are_accepted_again_after_the_cool_off(client, editor):
    fail(client, 3)
    assert_locked_out(log_in(client, PASSWORD), client)

    # Nine minutes after the last attempt: still locked out.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=9)
    )
    assert_locked_out(log_in(client, PASSWORD), client)

    # Move the clock past the cool-off.
    attempt = AccessAttempt.objects.get()
    AccessAttempt.objects.update(
        attempt_time=attempt.attempt_time - datetime.timedelta(minutes=10, seconds=1)
    )
    assert_logged_in(log_in(client, PASSWORD), client, editor)
    assert not AccessAttempt.objects.exists()  # a success clears the count


def test_axes_reset_lifts_a_lockout(client, editor):
    fail(client, 3)
    call_command("axes_reset", verbosity=0)
    assert_logged_in(log_in(client, PASSWORD), client, editor)


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    # A client inventing a new address for each attempt is still one address.
    for number in range(3):
        log_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert_locked_out(log_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99"), client)


def test_behind_a_trusted_proxy_the_client_is_read_from_x_forwarded_for(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        log_in(client, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    locked = log_in(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert_locked_out(locked, client)
    # Another patient behind the same proxy is not locked out.
    allowed = log_in(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert_logged_in(allowed, client, editor)


RESET = "/admin/password_reset/"


@pytest.fixture
def reset_limits(settings):
    settings.PASSWORD_RESET_LIMIT = 3
    settings.PASSWORD_RESET_WINDOW_MINUTES = 10


def ask_reset(client, email, ip="203.0.113.7"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_throttled_per_address(client, editor, reset_limits, mailoutbox):
    for number in range(3):
        assert ask_reset(client, f"someone{number}@example.org").status_code == 302
    refused = ask_reset(client, "editor@example.org")
    assert refused.status_code == 429 and refused["Retry-After"] == "600"
    assert mailoutbox == []  # nobody of those exists; the refused one sent nothing either
    # Another address may still ask.
    assert ask_reset(client, "editor@example.org", ip="198.51.100.9").status_code == 302
    assert len(mailoutbox) == 1


def test_password_reset_is_throttled_per_email_address(client, editor, reset_limits, mailoutbox):
    for number in range(3):
        assert ask_reset(client, "Editor@example.org ", ip=f"192.0.2.{number}").status_code == 302
    assert ask_reset(client, "editor@example.org", ip="192.0.2.50").status_code == 429
    assert len(mailoutbox) == 3


def test_the_password_reset_form_itself_is_not_throttled(client, reset_limits, db):
    for _ in range(5):
        assert client.get(RESET).status_code == 200


def test_production_counts_its_tls_proxy_and_the_check_says_when_nobody_does(settings):
    from cms.checks import behind_a_proxy_the_client_address_is_read, trusted_proxy_count_is_valid

    production = (Path(__file__).resolve().parent.parent / "cms/settings/production.py").read_text()
    assert 'TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)' in production
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXY_COUNT = 0
    assert [w.id for w in behind_a_proxy_the_client_address_is_read(None)] == ["cms.W002"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert behind_a_proxy_the_client_address_is_read(None) == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.TRUSTED_PROXY_COUNT = 0
    assert behind_a_proxy_the_client_address_is_read(None) == []
    settings.TRUSTED_PROXY_COUNT = -1
    assert [e.id for e in trusted_proxy_count_is_valid(None)] == ["cms.E002"]


def test_an_uncounted_proxy_is_logged(client, editor, settings, caplog):
    from cms.http import client_ip

    client_ip._warned.clear()
    settings.TRUSTED_PROXY_COUNT = 0
    with caplog.at_level("WARNING", logger="cms.http.client_ip"):
        log_in(client, "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert "TRUSTED_PROXY_COUNT is 0" in caplog.text
