"""Factories of the accounts app. Create rows inside a town's schema (`tenant_context`)."""

import factory

from tenant_apps.accounts.models import User

PASSWORD = "Tartine-2-Confiture"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"parent{n}@exemple.fr")
    first_name = "Camille"
    last_name = "Martin"

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        if extracted is None:
            self.set_unusable_password()
        else:
            self.set_password(extracted)
        if create:
            self.save()


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"agent{n}@mairie.fr")
    is_staff = True
