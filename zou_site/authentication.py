from rest_framework_simplejwt.authentication import JWTAuthentication as BearerTokenAuthentication  # noqa
