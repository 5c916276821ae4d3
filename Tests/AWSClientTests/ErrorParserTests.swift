import Foundation
import Testing

@testable import AWSClient

/// Error bodies as AWS and moto send them (Documentation/aws-checks.md §3.2–3.4).
@Suite struct ErrorParserTests {
    func parse(
        _ status: Int, _ body: String, headers: [String: String] = [:],
        service: AWSService = .iam, operation: String = "Op"
    ) -> AWSError {
        ErrorParser.error(
            from: HTTPResponse(status: status, headers: headers, body: Data(body.utf8)),
            service: service, operation: operation)
    }

    @Test func queryErrorResponse() {
        let error = parse(
            404,
            """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error><Type>Sender</Type><Code>NoSuchEntity</Code>
                <Message>The user with name x cannot be found.</Message></Error>
              <RequestId>4a1b-req</RequestId>
            </ErrorResponse>
            """, operation: "GetLoginProfile")
        #expect(error.kind == .notFound)
        #expect(error.code == "NoSuchEntity")
        #expect(error.message == "The user with name x cannot be found.")
        #expect(error.requestID == "4a1b-req")
        #expect(error.description.contains("iam:GetLoginProfile"))
    }

    @Test func ec2ResponseErrors() {
        let error = parse(
            401,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able to validate the provided access credentials</Message></Error></Errors><RequestID>ec2-req</RequestID></Response>
            """, service: .ec2)
        #expect(error.kind == .authFailure)
        #expect(error.code == "AuthFailure")
        #expect(error.requestID == "ec2-req")
    }

    @Test func jsonTypeWithPrefixAndEitherMessageCase() {
        let a = parse(
            400,
            #"{"__type": "com.amazonaws.organizations#AWSOrganizationsNotInUseException", "Message": "not in use"}"#,
            service: .organizations)
        #expect(a.code == "AWSOrganizationsNotInUseException")
        #expect(a.message == "not in use")
        #expect(a.kind == .service)
        let b = parse(400, #"{"__type": "ResourceNotFoundException", "message": "gone"}"#, service: .logs)
        #expect(b.kind == .notFound)
        #expect(b.message == "gone")
    }

    @Test func cloudWatchQueryCompatibleHeader() {
        let error = parse(
            404, #"{"__type": "GraniteServiceVersion20100801#ResourceNotFound", "message": "no"}"#,
            headers: ["x-amzn-query-error": "ResourceNotFound;Sender"], service: .cloudwatch)
        #expect(error.code == "ResourceNotFound")
        #expect(error.kind == .notFound)
    }

    @Test func restHeaderWinsForRESTServices() {
        let error = parse(
            400, #"{"__type": "InvalidInputException", "message": "bad id"}"#,
            headers: ["X-Amzn-ErrorType": "BadRequestException:http://internal.amazon.com/"],
            service: .guardduty)
        #expect(error.code == "BadRequestException")
        #expect(error.message == "bad id")
    }

    @Test func authFailureAsXMLOnAJSONService() {
        let error = parse(
            403,
            """
            <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error><RequestId>x</RequestId></ErrorResponse>
            """, service: .logs)
        #expect(error.kind == .authFailure)
        #expect(error.code == "SignatureDoesNotMatch")
        let unknownKey = parse(
            403, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>m</Message></Error></ErrorResponse>")
        #expect(unknownKey.kind == .authFailure)
    }

    @Test func accessDeniedAndThrottling() {
        #expect(parse(403, #"{"__type":"AccessDeniedException","Message":"no"}"#, service: .kms).kind == .accessDenied)
        #expect(
            parse(
                403, "<Response><Errors><Error><Code>UnauthorizedOperation</Code></Error></Errors></Response>",
                service: .ec2
            ).kind == .accessDenied)
        #expect(parse(400, "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>").kind == .throttling)
        #expect(
            parse(
                400, "<Response><Errors><Error><Code>RequestLimitExceeded</Code></Error></Errors></Response>",
                service: .ec2
            ).kind == .throttling)
        #expect(parse(429, "").kind == .throttling)
    }

    @Test func s3ErrorShape() {
        let error = parse(
            404,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>ServerSideEncryptionConfigurationNotFoundError</Code><Message>The server side encryption configuration was not found</Message><BucketName>b</BucketName><RequestID>s3-req</RequestID></Error>
            """, service: .s3)
        #expect(error.code == "ServerSideEncryptionConfigurationNotFoundError")
        #expect(error.kind == .notFound)
        #expect(error.requestID == "s3-req")
    }

    @Test func motoHTMLPages() {
        let html500 = parse(
            500,
            """
            <!doctype html>
            <html lang=en>
            <title>500 Internal Server Error</title>
            <h1>Internal Server Error</h1>
            <p>The server encountered an internal error and was unable to complete your request.</p>
            """, service: .config)
        #expect(html500.kind == .notImplemented)
        #expect(html500.code == "NotImplemented")
        #expect(!html500.isRetryable)
        #expect(html500.message == "HTML error page: 500 Internal Server Error")

        let html404 = parse(
            404, "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>",
            service: .guardduty)
        #expect(html404.kind == .notImplemented)
        #expect(html404.code == "UnknownOperation")

        let proxy503 = parse(503, "<html><head><title>503 Service Unavailable</title></head></html>")
        #expect(proxy503.isRetryable)
    }

    @Test func garbageAndEmptyBodies() {
        let garbage = parse(500, "\u{0}\u{FF} not anything {")
        #expect(garbage.kind == .invalidResponse)
        #expect(garbage.isRetryable)
        let empty = parse(400, "")
        #expect(empty.code == "HTTP400")
        #expect(!empty.isRetryable)
        let long = parse(400, String(repeating: "x", count: 5000))
        #expect(long.message.count <= 201)
        let badJSON = parse(400, "{ this is not json")
        #expect(badJSON.code == "HTTP400")
    }
}
