"""Bodies of the auth routes: what each accepts, validated before any
password is checked (a malformed body costs no login attempt)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from production.api.serializers import PersonSerializer


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(trim_whitespace=False, max_length=4096)


class LoginAnswerSerializer(serializers.Serializer):
    login = serializers.BooleanField()
    user = PersonSerializer()
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()


class NewPasswordSerializer(serializers.Serializer):
    """A new password, checked by the password validators against the person
    it is for (`context["person"]`); `password_2` must repeat it when given."""

    password = serializers.CharField(trim_whitespace=False, max_length=4096)
    password_2 = serializers.CharField(trim_whitespace=False, max_length=4096, required=False)

    def validate(self, data):
        if "password_2" in data and data["password_2"] != data["password"]:
            raise serializers.ValidationError({"password_2": ["Does not match 'password'."]})
        try:
            validate_password(data["password"], self.context["person"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error.messages})
        return data


class ChangePasswordSerializer(NewPasswordSerializer):
    old_password = serializers.CharField(trim_whitespace=False, max_length=4096)


class RefreshTokenRevokeSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)
