"""A service's refusal reaches the person who asked, as a message or beside the field concerned;
what follows the service call runs only when it accepted; other errors are not swallowed."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.session import SessionStorage
from django.test import RequestFactory

from tenant_apps.core.files import UploadRejected
from tenant_apps.core.refusals import refusal_as_form_error, refusal_as_message
from tenants.errors import DomainError


class ServiceFull(DomainError):
    code = "service_full"
    default_message = "Il n'y a plus de place."


class MessageForm(forms.Form):
    body = forms.CharField()
    attachment = forms.CharField(required=False)


def book_the_last_place():
    raise ServiceFull()


def a_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = SessionStorage(request)
    return request


def test_a_refusal_becomes_the_next_pages_error_message_and_skips_the_success_lines():
    request, done = a_request(), []
    with refusal_as_message(request, "%(child)s : %(error)s", child="Théo") as refusal:
        book_the_last_place()
        done.append("success")
    assert done == [] and refusal and refusal.error.code == "service_full"
    assert [str(m) for m in get_messages(request)] == ["Théo : il n'y a plus de place."]


def test_an_accepted_call_runs_the_whole_block_and_shows_nothing():
    request, done = a_request(), []
    with refusal_as_message(request) as refusal:
        done.append("success")
    assert done == ["success"] and not refusal and list(get_messages(request)) == []


def test_a_refusal_is_shown_beside_its_field_chosen_by_class_else_the_default_one():
    form = MessageForm({"body": "Bonjour"})
    assert form.is_valid()
    with refusal_as_form_error(form, "body", fields={UploadRejected: "attachment"}):
        raise UploadRejected("Ce fichier n'est pas un PDF.")
    with refusal_as_form_error(form, "body", fields={UploadRejected: "attachment"}):
        raise ServiceFull()
    with refusal_as_form_error(form):
        raise DomainError("Opération impossible aujourd'hui.")
    assert form.errors == {"attachment": ["Ce fichier n'est pas un PDF."], "body": ["Il n'y a plus de place."],
                           "__all__": ["Opération impossible aujourd'hui."]}


def test_errors_that_are_not_refusals_are_not_swallowed():
    with pytest.raises(KeyError), refusal_as_message(a_request()):
        raise KeyError("bug")
